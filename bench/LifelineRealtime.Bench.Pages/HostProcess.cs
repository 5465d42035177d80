using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LifelineRealtime.Bench.Pages;

/// <summary>
/// The real host started from its build output (<c>dotnet LifelineRealtime.Host.dll</c>) in its own process, so its
/// CPU is measured apart from the browser's: the development configuration (both demonstration platforms, the
/// embedded simulator, the one-time local sign-in link), with its journal and grain state in a private folder.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _folder;
    private readonly Queue<string> _console = new();
    private readonly TaskCompletionSource<string> _signInLink = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _anonymous;

    private HostProcess(Process process, string folder, Uri root)
    {
        _process = process;
        _folder = folder;
        Root = root;
        _anonymous = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Root { get; }

    public int ProcessId => _process.Id;

    /// <summary>Throws when the host is no longer running: a figure taken after that would measure nothing.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchFailure($"the host exited during the run (code {_process.ExitCode}). Its last lines:{Environment.NewLine}{ConsoleTail}");
        }
    }

    /// <summary>User plus system CPU of the host process since it started.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The last lines the host wrote, for a failure message.</summary>
    public string ConsoleTail
    {
        get
        {
            lock (_console)
            {
                return string.Join(Environment.NewLine, _console);
            }
        }
    }

    public static async Task<HostProcess> StartAsync(BenchOptions options)
    {
        if (!File.Exists(options.HostDll))
        {
            throw new BenchFailure($"the host's build output is missing: {options.HostDll} (build the solution in this configuration, or pass host PATH)");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"lifeline-bench-pages-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var root = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(options.HostDll);
        foreach (var argument in new[]
        {
            // The build output holds appsettings*.json and the static web assets manifest (wwwroot in Development).
            "--contentRoot", Path.GetDirectoryName(options.HostDll)!,
            "--urls", root.ToString().TrimEnd('/'),
            "--Lifeline:Storage:Path=" + Path.Combine(folder, "journal.db"),
            "--Lifeline:Simulator:Enabled=true",
            "--Lifeline:Simulator:Speed=" + options.Speed.ToString(CultureInfo.InvariantCulture),
            // Ten times the demo's roster and arrivals by default: a change to show almost every second.
            "--Lifeline:Simulator:Workers=" + options.Workers.ToString(CultureInfo.InvariantCulture),
            "--Lifeline:Simulator:PeakArrivalsPerHour=" + options.ArrivalsPerHour.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new BenchFailure("dotnet did not start");
        var host = new HostProcess(process, folder, root);
        host.ReadConsole(process.StandardOutput);
        host.ReadConsole(process.StandardError);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await host._started.Task.WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or BenchFailure)
        {
            var reason = process.HasExited ? $"exited with code {process.ExitCode}" : $"was not listening after {StartTimeout.TotalSeconds:F0} s";
            await host.DisposeAsync();
            throw new BenchFailure($"the host {reason}. Its last lines:{Environment.NewLine}{host.ConsoleTail}");
        }

        return host;
    }

    /// <summary>
    /// A kiosk token for the platform's wallboard, as an admin issues one for a wall screen: the local sign-in link
    /// the host printed signs this client in as the demo admin, then <c>POST /api/admin/kiosk-tokens</c>.
    /// </summary>
    public async Task<string> IssueKioskTokenAsync(string platform)
    {
        var link = await _signInLink.Task.WaitAsync(TimeSpan.FromSeconds(5));
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var admin = new HttpClient(handler) { BaseAddress = Root, Timeout = TimeSpan.FromSeconds(30) };
        using (var signIn = await admin.GetAsync(new Uri(link, UriKind.Relative)))
        {
            if (!signIn.IsSuccessStatusCode)
            {
                throw new BenchFailure($"the local sign-in link answered {(int)signIn.StatusCode}");
            }
        }

        // A state-changing request with the session cookie must say it comes from this site.
        admin.DefaultRequestHeaders.Add("Origin", Root.GetLeftPart(UriPartial.Authority));
        using var issued = await admin.PostAsJsonAsync(
            new Uri("/api/admin/kiosk-tokens", UriKind.Relative),
            new { label = "Pages benchmark wall", platformId = platform, scope = "platform", id = (string?)null, expiresAt = (DateTimeOffset?)null });
        if (!issued.IsSuccessStatusCode)
        {
            throw new BenchFailure($"issuing a kiosk token for '{platform}' answered {(int)issued.StatusCode}: {await issued.Content.ReadAsStringAsync()}");
        }

        using var answer = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>The highest committed journal sequence (<c>GET /status</c>): events journaled so far.</summary>
    public async Task<long> JournalSequenceAsync()
    {
        using var status = JsonDocument.Parse(await _anonymous.GetStringAsync(new Uri("/status", UriKind.Relative)));
        return status.RootElement.GetProperty("journalSequence").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void ReadConsole(StreamReader reader) => _ = Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_console)
            {
                _console.Enqueue(line);
                if (_console.Count > 40)
                {
                    _console.Dequeue();
                }
            }

            if (SignInLink().Match(line) is { Success: true } link)
            {
                _signInLink.TrySetResult(link.Value);
            }

            if (line.Contains("Application started", StringComparison.Ordinal))
            {
                _started.TrySetResult();
            }
        }

        _started.TrySetException(new BenchFailure("the host's console closed"));
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"/signin/local\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex SignInLink();
}

/// <summary>A run that cannot measure what it promises: the message says why, and the exit code is 1.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
