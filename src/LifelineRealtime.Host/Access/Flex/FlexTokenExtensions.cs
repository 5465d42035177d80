using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Access.Flex;

public static class FlexTokenExtensions
{
    /// <summary>
    /// The <see cref="FlexTokenDefaults.Scheme"/> scheme, its <c>Lifeline:Auth:Flex</c> options (validated at
    /// start), the token cache and the HTTP client that asks Twilio (named <see cref="FlexTokenDefaults.HttpClientName"/>).
    /// </summary>
    public static AuthenticationBuilder AddFlexTokens(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<FlexTokenOptions>().BindConfiguration(FlexTokenOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlexTokenOptions>, FlexTokenOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FlexTokenCache>();
        services.AddHttpClient<FlexTokenValidator>(FlexTokenDefaults.HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<FlexTokenOptions>>().Value.Timeout);
        return builder.AddScheme<AuthenticationSchemeOptions, FlexTokenHandler>(FlexTokenDefaults.Scheme, "Flex user token", null);
    }
}
