using System.Collections.Immutable;

namespace LifelineRealtime.Host.Access.Flex;

/// <summary>
/// Who a validated Flex token signs in, in this engine's terms: the roles and teams of design §8 and the one
/// platform whose account validated it, trusted until <see cref="Expiration"/>.
/// </summary>
public sealed record FlexSignIn(string Name, string? Subject, string PlatformId, ImmutableArray<string> Roles, ImmutableArray<string> Teams, DateTimeOffset Expiration);
