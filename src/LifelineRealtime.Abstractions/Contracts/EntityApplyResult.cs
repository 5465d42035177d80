using System.Collections.Immutable;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>The stats changes of one scope produced by a task or worker grain.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.ScopedStatsBatch")]
public sealed record ScopedStatsBatch(
    [property: Id(0)] ScopeKind Kind,
    [property: Id(1)] string ScopeId,
    [property: Id(2)] StatsBatch Batch);

/// <summary>
/// What a task or worker grain hands back to the dispatcher after applying its inputs; a task grain adds the task's
/// conversation record as it now is, for the conversation list.
/// </summary>
[GenerateSerializer, Immutable, Alias("lifeline.EntityApplyResult")]
public sealed record EntityApplyResult(
    [property: Id(0)] ImmutableArray<ScopedStatsBatch> Changes,
    [property: Id(1)] ImmutableArray<TransferInput> Transfers,
    [property: Id(2)] ConversationRecord? Conversation = null)
{
}
