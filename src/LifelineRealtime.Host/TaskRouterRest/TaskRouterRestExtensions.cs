using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.TaskRouterRest;

public static class TaskRouterRestExtensions
{
    /// <summary>The HTTP client every TaskRouter REST call goes through.</summary>
    public const string HttpClientName = "taskrouter";

    /// <summary>
    /// <see cref="ITaskRouterRest"/> over the Twilio library, its <c>Lifeline:TaskRouterRest</c> options (validated at
    /// start) and the HTTP client named <see cref="HttpClientName"/>: the base-URL handler outermost, then retries.
    /// </summary>
    public static IHostApplicationBuilder AddTaskRouterRest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TaskRouterRestOptions>().BindConfiguration(TaskRouterRestOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskRouterRestOptions>, TaskRouterRestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITaskRouterRest, TwilioTaskRouterRest>();
        services.TryAddTransient<TaskRouterRetryHandler>();
        services.TryAddTransient<TaskRouterBaseUrlHandler>();
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<TaskRouterRestOptions>>().Value.Timeout)
            .AddHttpMessageHandler<TaskRouterBaseUrlHandler>()
            .AddHttpMessageHandler<TaskRouterRetryHandler>();
        return builder;
    }
}
