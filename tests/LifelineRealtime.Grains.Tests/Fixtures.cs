using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Grains.Tests;

/// <summary>The Twilio payload fixtures as journal entries, with unique Sids per test.</summary>
internal static class Fixtures
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "twilio");

    /// <summary>The form fixtures (01–14), Sids rewritten with <paramref name="salt"/> so tests never share data.</summary>
    public static List<JournalEntry> FormStory(string salt)
    {
        var entries = new List<JournalEntry>();
        foreach (var file in Directory.GetFiles(Folder, "*.form").Order(StringComparer.Ordinal))
        {
            var body = Salt(File.ReadAllText(file).Trim(), salt);
            var parsed = TaskRouterEventParser.ParseFormBody(body);
            var e = parsed.Event ?? throw new InvalidOperationException($"{Path.GetFileName(file)} does not parse");
            var platform = e.WorkspaceSid.EndsWith("c155", StringComparison.Ordinal) ? "ciss" : "digi";
            entries.Add(new JournalEntry(platform, e, JournalWireFormat.Form, body));
        }

        return entries;
    }

    /// <summary>A fixture Sid as <see cref="FormStory"/> rewrote it.</summary>
    public static string Sid(string fixtureSid, string salt) => fixtureSid[..2] + salt + fixtureSid[6..];

    public static IEnumerable<TaskRouterEvent> Events(IEnumerable<JournalEntry> entries, string platform) =>
        entries.Where(e => e.PlatformId == platform).Select(e => e.Event);

    /// <summary>Replaces the first 4 hex digits (zeros in every fixture) of every task, reservation, worker, queue and event Sid.</summary>
    private static string Salt(string body, string salt)
    {
        foreach (var prefix in new[] { "WT", "WR", "WK", "WQ", "EV", "CH" })
        {
            body = System.Text.RegularExpressions.Regex.Replace(body, $"{prefix}[0-9a-f]{{4}}([0-9a-f]{{28}})", m => prefix + salt + m.Groups[1].Value);
        }

        // Team names too, so team scopes are this test's own.
        body = body.Replace("Team+A", "Team+A+" + salt, StringComparison.Ordinal).Replace("Team+B", "Team+B+" + salt, StringComparison.Ordinal);

        return body;
    }
}
