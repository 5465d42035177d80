using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Options;

public static class LifelineOptionsExtensions
{
    /// <summary>Binds the <c>Lifeline</c> section and validates it when the host starts (every failure named by key).</summary>
    public static IHostApplicationBuilder AddLifelineOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LifelineOptions>()
            .Bind(builder.Configuration.GetSection(LifelineOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LifelineOptions>, LifelineOptionsValidator>();
        builder.Services.TryAddSingleton(sp => new PlatformCatalog(sp.GetRequiredService<IOptions<LifelineOptions>>().Value.Platforms));
        return builder;
    }
}
