using System.Net;
using System.Net.Sockets;
using LifelineRealtime.Host.Options;
using Microsoft.AspNetCore.Connections;

namespace LifelineRealtime.Host;

/// <summary>
/// What stops the engine at start is said in one line, not a stack trace: a port another process listens on
/// (checked before anything is opened), and a journal another engine holds.
/// </summary>
public static class StartupChecks
{
    /// <summary>
    /// The first configured URL (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>urls</c>) whose port another process
    /// already listens on, as one line; null when every port is free or none is configured (port 0 is any port).
    /// </summary>
    public static string? BusyPort(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return null;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!BindingAddress.TryParse(url, out var host, out var port) || port == 0)
            {
                continue;
            }

            if (!IsFree(host, port))
            {
                return $"Port {port} ({url}) is already in use by another process: stop it, or start this one with --urls http://localhost:<another port>.";
            }
        }

        return null;
    }

    /// <summary>
    /// One line when another engine holds the journal configured at <c>Lifeline:Storage:Path</c> (its lock file
    /// is taken exclusively), else null. Checked before the host is built, so nothing is opened or logged first.
    /// </summary>
    public static string? JournalInUse(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var journal = (configuration.GetSection("Lifeline:Storage").Get<StorageOptions>() ?? new StorageOptions()).JournalPath(contentRoot);
        var lockPath = journal + ".lock";
        if (!File.Exists(lockPath))
        {
            return null;
        }

        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return null;
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            return $"The journal {journal} is in use by another process (it holds {lockPath}): is another LifelineRealtime running on this data folder?";
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to open: the journal's own open reports it.
            return null;
        }
    }

    /// <summary>
    /// One line when settings the request pipeline reads before the host runs are invalid: <c>Lifeline:Auth</c>
    /// (outside Development it must say how people sign in; design §8: such a host refuses to start, naming the
    /// keys) and <c>Lifeline:Telemetry</c>; else null. Asked after the host is built, before the pipeline is.
    /// </summary>
    public static string? SettingsRefusal(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Access.AuthOptions>>().Value;
            _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Telemetry.TelemetryOptions>>().Value;
            return null;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException invalid)
        {
            return string.Join(" ", invalid.Failures);
        }
    }

    /// <summary>The one line for an exception that ended the start, or null when it is not one of those.</summary>
    public static string? Explain(Exception e) => e switch
    {
        Storage.Journal.JournalInUseException inUse => inUse.Message,
        IOException { InnerException: AddressInUseException } io => io.Message,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Explain).FirstOrDefault(m => m is not null),
        _ => e.InnerException is { } inner ? Explain(inner) : null,
    };

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Another reason (an address this machine does not have): Kestrel will say so itself.
            return true;
        }
    }

    private static class BindingAddress
    {
        public static bool TryParse(string url, out IPAddress host, out int port)
        {
            host = IPAddress.Loopback;
            port = 0;
            // Kestrel's wildcard hosts are not URI hosts.
            var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            {
                return false;
            }

            port = uri.Port;
            host = uri.Host switch
            {
                "localhost" => IPAddress.Loopback,
                _ when IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) => ip,
                _ => IPAddress.Any,
            };
            return true;
        }
    }
}
