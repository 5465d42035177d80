using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Conversations.Transcripts;

public static class TranscriptExtensions
{
    /// <summary>
    /// <see cref="ITranscriptSource"/> over Twilio's Conversations API, its <c>Lifeline:Transcripts</c> options
    /// (validated at start), the short in-memory cache and the HTTP client named
    /// <see cref="TranscriptDefaults.HttpClientName"/>. Reads the platforms' credentials from
    /// <see cref="Domain.Platforms.PlatformCatalog"/> (<c>AddLifelineOptions</c>).
    /// </summary>
    public static IHostApplicationBuilder AddTranscripts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TranscriptOptions>().BindConfiguration(TranscriptOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TranscriptOptions>, TranscriptOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TranscriptCache>();
        services.TryAddSingleton<ITranscriptSource, TwilioTranscriptSource>();
        services.AddHttpClient(TranscriptDefaults.HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<TranscriptOptions>>().Value.Timeout);
        return builder;
    }
}
