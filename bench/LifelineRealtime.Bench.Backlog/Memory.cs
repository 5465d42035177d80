using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Bench.Backlog;

/// <summary>The process after a full, compacting collection: managed heap, the GC's heap size, working set, and how many task grains are active.</summary>
internal sealed record Memory(double ManagedMb, double HeapSizeMb, double WorkingSetMb, int TaskGrains)
{
    public static async Task<Memory> SampleAsync(BacklogHost host)
    {
        var taskGrains = await TaskGrainsAsync(host);
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new Memory(
            GC.GetTotalMemory(false) / 1048576.0,
            GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes / 1048576.0,
            process.WorkingSet64 / 1048576.0,
            taskGrains);
    }

    public static async Task<int> TaskGrainsAsync(BacklogHost host)
    {
        var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("TaskGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    public static async Task WaitForTaskGrainsAsync(BacklogHost host, int atMost, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (await TaskGrainsAsync(host) > atMost && started.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }
}
