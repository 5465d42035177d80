using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>
/// The real host as a child process (<c>dotnet LifelineRealtime.Host.dll</c>) on a free loopback port.
/// <see cref="Kill"/> sends SIGKILL: no shutdown code runs.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];
    private readonly List<LineWaiter> _lineWaiters = [];

    private HostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (ListeningPattern().Match(e.Data) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value));
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
                _lineWaiters.RemoveAll(w => w.Pattern.IsMatch(e.Data) && --w.Remaining == 0 && w.Seen.TrySetResult(e.Data));
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"host exited with code {_process.ExitCode} before listening"));
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client of this host signed in as an admin.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        TestTokens.Authorize(client);
        return client;
    }

    /// <summary>Starts the host built next to this test project and waits until /healthz answers.</summary>
    public static async Task<HostProcess> StartAsync(IEnumerable<string> arguments, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var start = StartInfo(arguments, "http://127.0.0.1:0");

        // The lifetime logger announces the port Kestrel picked.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(deadline);
            host.BaseAddress = await host._listening.Task.WaitAsync(timeout.Token);
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return host;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not accepting yet; the deadline bounds the retries.
                }
            }
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>The first line of standard output (already printed or still to come) that matches: a signal from the other process.</summary>
    public Task<string> LineAsync(Regex pattern) => LineAsync(pattern, 1);

    /// <summary>The <paramref name="occurrence"/>-th line of standard output (counting those already printed) that matches.</summary>
    public Task<string> LineAsync(Regex pattern, int occurrence)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        lock (_lines)
        {
            var seen = _lines.Where(l => pattern.IsMatch(l)).Take(occurrence).ToList();
            if (seen.Count == occurrence)
            {
                return Task.FromResult(seen[^1]);
            }

            var waiter = new LineWaiter(pattern, occurrence - seen.Count);
            _lineWaiters.Add(waiter);
            return waiter.Seen.Task;
        }
    }

    /// <summary>
    /// Runs the host until it exits by itself (a start it refuses), returning its exit code and output; fails
    /// if it is still running after <paramref name="deadline"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(IEnumerable<string> arguments, string urls, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var start = StartInfo(arguments, urls);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the host was still running after {deadline}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The host built next to this test project, on <paramref name="urls"/>, in production mode, output captured.</summary>
    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string urls)
    {
        var hostDirectory = HostOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(hostDirectory, "LifelineRealtime.Host.dll"));
        start.ArgumentList.Add("--urls=" + urls);
        start.ArgumentList.Add("--environment=Production");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>The host's own build output: artifacts/bin/LifelineRealtime.Host/&lt;config&gt;, beside this project's.</summary>
    private static string HostOutputDirectory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testDirectory.Name;
        var path = Path.Combine(testDirectory.Parent!.Parent!.FullName, "LifelineRealtime.Host", configuration);
        if (!File.Exists(Path.Combine(path, "LifelineRealtime.Host.dll")))
        {
            throw new FileNotFoundException("The host is not built where expected", Path.Combine(path, "LifelineRealtime.Host.dll"));
        }

        return path;
    }

    private sealed class LineWaiter(Regex pattern, int remaining)
    {
        public Regex Pattern { get; } = pattern;

        public int Remaining { get; set; } = remaining;

        public TaskCompletionSource<string> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
