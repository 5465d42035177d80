namespace LifelineRealtime.Simulator.Tests;

public sealed class LifecycleCheckerTests
{
    [Fact]
    public void SimulatedDay_EveryTaskReservationAndWorker_FollowsTaskRouterLifecycles()
    {
        var (events, _) = SimulatedDays.Day();

        var problems = LifecycleChecker.Check(events);

        Assert.Empty(problems.Take(20));
    }

    [Fact]
    public void SimulatedDay_OtherSeed_FollowsTaskRouterLifecycles()
    {
        var options = SimulatedDays.Options(seed: 7);
        options.Duration = TimeSpan.FromHours(8);
        options.PeakArrivalsPerHour = 90; // busier than staffed: queues, RONAs and abandons pile up
        options.Workers = 8;
        var simulation = new TrafficSimulation(options, SimulatedDays.Start);

        var problems = LifecycleChecker.Check(simulation.Events());

        Assert.Empty(problems.Take(20));
    }

    [Fact]
    public void Checker_AcceptedEventRemoved_ReportsIllegalMoves()
    {
        var (events, truth) = SimulatedDays.Day();
        var task = truth.Tasks.First(t => t.Outcome == TaskOutcome.Completed && !t.Transferred && t.WrapMs is not null);
        var broken = events.Where(e => !(e.Form.Contains("EventType=reservation.accepted", StringComparison.Ordinal)
                                          && e.Form.Contains("TaskSid=" + task.TaskSid, StringComparison.Ordinal))).ToList();

        var problems = LifecycleChecker.Check(broken);

        Assert.Equal(2, problems.Count);
        Assert.Contains("task moves reserved → wrapping", problems[0], StringComparison.Ordinal);
        Assert.Contains("reservation moves pending → wrapping", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Checker_WorkerChainBroken_ReportsIt()
    {
        var (events, _) = SimulatedDays.Day();
        var updates = events.Where(e => e.Form.Contains("EventType=worker.activity.update", StringComparison.Ordinal)).ToList();
        var worker = updates.GroupBy(e => e.Fields()["WorkerSid"]).First(g => g.Count() >= 3);
        var dropped = worker.Skip(1).First();

        var problems = LifecycleChecker.Check(events.Where(e => !ReferenceEquals(e, dropped)));

        Assert.Contains(problems, p => p.Contains("previous activity", StringComparison.Ordinal));
    }
}
