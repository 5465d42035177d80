using System.Collections.Immutable;
using LifelineRealtime.Domain.Metrics;

namespace LifelineRealtime.Abstractions.Contracts;

/// <summary>One queue, team or worker scope of a platform.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.ScopeEntry")]
public readonly record struct ScopeEntry(
    [property: Id(0)] ScopeKind Kind,
    [property: Id(1)] string Id);

/// <summary>The scope ids a platform has seen, each list in ordinal order.</summary>
[GenerateSerializer, Immutable, Alias("lifeline.ScopeDirectory")]
public sealed record ScopeDirectory(
    [property: Id(0)] ImmutableArray<string> Queues,
    [property: Id(1)] ImmutableArray<string> Teams,
    [property: Id(2)] ImmutableArray<string> Workers);
