using Microsoft.Extensions.Options;

namespace LifelineRealtime.Host.Conversations;

public static class ConversationsExtensions
{
    /// <summary>The conversation list's options (checked at start) and the pseudonyms of crisis supporters.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConversationOptions>, Validator>();
        builder.Services.AddSingleton<CustomerPseudonyms>();
        return builder;
    }

    private sealed class Validator : IValidateOptions<ConversationOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConversationOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
