using LifelineRealtime.Simulator.Hosting;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Simulator.Tests;

public sealed class SimulatorRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static SimulatorRun Saved(SimulatorOptions options, TimeSpan ago) =>
        new(SimulatorRun.FingerprintOf(options), Now - ago, Now - ago, (Now - ago).AddMinutes(3).ToUnixTimeMilliseconds());

    [Fact]
    public void ContinueOrBegin_SameSettingsWithinTheRun_ContinuesIt()
    {
        var options = SimulatedDays.Options();
        var saved = Saved(options, TimeSpan.FromHours(2));

        var run = SimulatorRun.ContinueOrBegin(saved, options, Now);

        Assert.Same(saved, run);
        Assert.True(run.IsContinued(Now));
        Assert.Equal(TimeSpan.FromHours(2), run.Elapsed(Now));
    }

    [Fact]
    public void ContinueOrBegin_NothingSaved_BeginsNow()
    {
        var run = SimulatorRun.ContinueOrBegin(null, SimulatedDays.Options(), Now);

        Assert.Equal((Now, Now, Now.ToUnixTimeMilliseconds()), (run.Start, run.RealStart, run.LastPostedMs));
        Assert.False(run.IsContinued(Now));
    }

    [Fact]
    public void ContinueOrBegin_RunOver_BeginsANewOne()
    {
        var options = SimulatedDays.Options();
        var run = SimulatorRun.ContinueOrBegin(Saved(options, options.Duration + TimeSpan.FromMinutes(1)), options, Now);

        Assert.Equal(Now, run.Start);
    }

    [Fact]
    public void ContinueOrBegin_FasterRun_EndsSooner()
    {
        var options = SimulatedDays.Options();
        options.Speed = 60; // a day in 24 minutes
        var saved = Saved(options, TimeSpan.FromMinutes(30));

        // A new run, faster than real time: it plays the day that ends now (no event dated ahead of the clock).
        var run = SimulatorRun.ContinueOrBegin(saved, options, Now);
        Assert.Equal((Now - options.Duration, Now, (Now - options.Duration).ToUnixTimeMilliseconds()), (run.Start, run.RealStart, run.LastPostedMs));
    }

    [Fact]
    public void ContinueOrBegin_RealTime_BeginsNow()
    {
        Assert.Equal(Now, SimulatorRun.ContinueOrBegin(null, SimulatedDays.Options(), Now).Start);
    }

    [Fact]
    public void ContinueOrBegin_OtherSettings_BeginsANewOne()
    {
        var saved = Saved(SimulatedDays.Options(seed: 42), TimeSpan.FromHours(1));
        var busier = SimulatedDays.Options(seed: 42);
        busier.PeakArrivalsPerHour *= 2;

        Assert.Equal(Now, SimulatorRun.ContinueOrBegin(saved, SimulatedDays.Options(seed: 43), Now).Start);
        Assert.Equal(Now, SimulatorRun.ContinueOrBegin(saved, busier, Now).Start);
    }

    [Fact]
    public void Fingerprint_IgnoresTheTokensAndWhatDoesNotShapeTraffic()
    {
        var options = SimulatedDays.Options();
        var other = SimulatedDays.Options();
        other.Platforms[0].AuthToken = "rotated";
        other.MaxEvents = 10;
        other.BaseUrl = "http://elsewhere";

        Assert.Equal(SimulatorRun.FingerprintOf(options), SimulatorRun.FingerprintOf(other));
        Assert.DoesNotContain("test_token_ciss", SimulatorRun.FingerprintOf(options), StringComparison.Ordinal);
    }

    [Fact]
    public void SaveAndLoad_RoundTrip_AndUnreadableStateIsNone()
    {
        var path = Path.Combine(TestData.Root, $"run-{Guid.NewGuid():N}.json");
        try
        {
            var run = Saved(SimulatedDays.Options(), TimeSpan.FromMinutes(7));
            run.Save(path);
            Assert.Equal(run, SimulatorRun.Load(path));
            Assert.False(File.Exists(path + ".tmp"));

            File.WriteAllText(path, "{ not json");
            Assert.Null(SimulatorRun.Load(path));
            Assert.Null(SimulatorRun.Load(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
