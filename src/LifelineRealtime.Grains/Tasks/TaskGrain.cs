using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Contracts;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using Microsoft.Extensions.Logging;

namespace LifelineRealtime.Grains.Tasks;

/// <summary>What a task grain persists: exactly the inputs it was given (wire text and sequence).</summary>
[GenerateSerializer, Alias("lifeline.TaskGrainState")]
public sealed class TaskGrainState
{
    [Id(0)] public List<JournalInput> Inputs { get; set; } = [];

    [Id(1)] public List<TransferInput> Transfers { get; set; } = [];
}

/// <summary>
/// One task. Thin over <see cref="TaskLifecycle"/>: it feeds the lifecycle and turns contribution
/// changes into sequence-tagged stats changes. A new input yields the difference between the task's
/// contribution before and after it; an input the grain already holds (a replay after a crash) yields
/// <c>ContributionThrough(s) − ContributionThrough(s − 1)</c>, the same delta the first delivery produced,
/// which stats grains then recognise by its sequence. State is written by the dispatcher's flush and at
/// deactivation, never per event.
/// </summary>
/// <remarks>
/// An open task is often silent for minutes (waiting in a queue, talking, wrapping up) while its state is
/// already durable, and a backlog holds tens of thousands of them: an activation idle for
/// <see cref="IdleMinutes"/> is collected (Orleans' default is 15 minutes), and the task's next event reactivates
/// it from storage. The live views do not need it: stats grains hold each open task in a few dozen bytes.
/// </remarks>
[CollectionAgeLimit(Minutes = IdleMinutes)]
public sealed partial class TaskGrain(
    [PersistentState("task", OrleansNames.StateStorage)] IPersistentState<TaskGrainState> state,
    PlatformCatalog platforms,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    /// <summary>Minutes without a call after which an activation is collected.</summary>
    public const int IdleMinutes = 2;

    private readonly HashSet<long> _knownSequences = [];
    private EntityKey _key;
    private TaskLifecycle _lifecycle = null!;
    private bool _dirty;
    private bool _finished;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = EntityKey.Parse(this.GetPrimaryKeyString());
        Rebuild();
        return Task.CompletedTask;
    }

    /// <summary>The lifecycle from exactly the inputs held: at activation, and after an input failed to apply.</summary>
    private void Rebuild()
    {
        _knownSequences.Clear();
        _lifecycle = new TaskLifecycle(_key.Sid, platforms.Get(_key.PlatformId));
        foreach (var input in state.State.Inputs)
        {
            if (JournalInputs.EventOf(input) is { } e)
            {
                _lifecycle.Apply(e, input.Sequence);
                _knownSequences.Add(input.Sequence);
            }
        }

        foreach (var transfer in state.State.Transfers)
        {
            _lifecycle.ApplyTransfer(ToLink(transfer), transfer.Sequence);
            _knownSequences.Add(transfer.Sequence);
        }

        _finished = _knownSequences.Count > 0 && !_lifecycle.LiveState.IsOpen;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task<EntityApplyResult> ApplyAsync(ImmutableArray<JournalInput> inputs, ImmutableArray<TransferInput> transfers)
    {
        try
        {
            return Task.FromResult(Apply(inputs, transfers));
        }
        catch (Exception e)
        {
            // An input the lifecycle cannot take leaves it half-changed: start again from the inputs held (the
            // failed one was never added) and let the dispatcher set the record aside. Inputs applied before it
            // in this call are held, and their changes are derived again when the dispatcher redelivers them.
            Log.ApplyFailed(logger, _key.Sid, e.GetType().Name);
            Rebuild();
            throw;
        }
    }

    private EntityApplyResult Apply(ImmutableArray<JournalInput> inputs, ImmutableArray<TransferInput> transfers)
    {
        var changes = new ChangeCollector();
        var outgoing = ImmutableArray.CreateBuilder<TransferInput>();
        var hadOutgoing = _lifecycle.OutgoingTransfer is not null;
        long maxSequence = 0;

        int i = 0, j = 0;
        while (i < inputs.Length || j < transfers.Length)
        {
            var takeInput = j == transfers.Length || (i < inputs.Length && inputs[i].Sequence <= transfers[j].Sequence);
            var sequence = takeInput ? inputs[i].Sequence : transfers[j].Sequence;
            maxSequence = Math.Max(maxSequence, sequence);
            var known = _knownSequences.Contains(sequence);
            var before = _lifecycle.Contribution;

            if (takeInput)
            {
                var input = inputs[i++];
                if (JournalInputs.EventOf(input) is not { } e)
                {
                    Log.UnparsableInput(logger, input.Sequence);
                    continue;
                }

                if (_lifecycle.Apply(e, input.Sequence))
                {
                    state.State.Inputs.Add(input);
                    _dirty = true;
                }

                // A reservation names its worker: the platform's live registry hears of the worker (and of its offer).
                if (e.SightingOf() is { } sighting)
                {
                    changes.Add(_key.PlatformId, input.Sequence, sighting);
                }
            }
            else
            {
                var transfer = transfers[j++];
                if (_lifecycle.ApplyTransfer(ToLink(transfer), transfer.Sequence))
                {
                    state.State.Transfers.Add(transfer);
                    _dirty = true;
                }
            }

            _knownSequences.Add(sequence);
            var delta = known
                ? Contribution.Diff(_lifecycle.ContributionThrough(sequence - 1), _lifecycle.ContributionThrough(sequence))
                : Contribution.Diff(before, _lifecycle.Contribution);
            changes.Add(sequence, delta);

            // A chat plugin's transfer: this task names the task it continues; that task counts it.
            if (_lifecycle.OutgoingTransfer is { } link && (!hadOutgoing || known))
            {
                outgoing.Add(new TransferInput(sequence, link.OriginalTaskSid, link.NewTaskSid, link.TimeMs, link.OriginalReservationSid));
                hadOutgoing = true;
            }
        }

        if (maxSequence > 0)
        {
            var live = _lifecycle.LiveState;
            _finished = !live.IsOpen;
            var change = new TaskLiveChange(maxSequence, live.TaskSid, live.Status, live.SinceMs, live.CreatedMs, live.TaskQueueSid, live.SupportType, live.WorkerSid);
            changes.Add(ScopeKey.Platform(_key.PlatformId), change);
            if (live.TaskQueueSid is { } queue)
            {
                changes.Add(ScopeKey.Queue(queue), change);
            }
        }

        return new EntityApplyResult(changes.Build(), outgoing.ToImmutable(), maxSequence > 0 ? _lifecycle.Conversation : null);
    }

    public Task<ImmutableArray<TaskEventInfo>> GetHistoryAsync() => Task.FromResult(state.State.Inputs
        .Select(input => JournalInputs.EventOf(input) is { } e ? TaskEventInfo.From(e, input.Sequence) : null)
        .OfType<TaskEventInfo>()
        .OrderBy(e => e.At).ThenBy(e => e.Sequence)
        .ToImmutableArray());

    public Task ForgetAsync(long sequence)
    {
        if (state.State.Inputs.RemoveAll(input => input.Sequence == sequence) + state.State.Transfers.RemoveAll(transfer => transfer.Sequence == sequence) > 0)
        {
            Rebuild();
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    public async Task FlushAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }

        // A finished task is rarely heard from again, and a busy day finishes thousands: once its state
        // is written, free the memory now instead of after the collection age. A late event (a
        // reservation closing after its task, a chat transfer linking back) reactivates it from storage.
        if (_finished)
        {
            DeactivateOnIdle();
        }
    }

    private static TransferLink ToLink(TransferInput t) => new(t.OriginalTaskSid, t.NewTaskSid, t.TimeMs, t.OriginalReservationSid);

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Journal record {Sequence} could not be parsed again and was skipped")]
        public static partial void UnparsableInput(ILogger logger, long sequence);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Task {TaskSid} could not apply an input ({Error}); its state was rebuilt from the inputs it holds")]
        public static partial void ApplyFailed(ILogger logger, string taskSid, string error);
    }
}
