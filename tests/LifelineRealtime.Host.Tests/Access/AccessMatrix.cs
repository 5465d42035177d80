namespace LifelineRealtime.Host.Tests.Access;

/// <summary>
/// The access policy as a table: every caller × every surface, with the exact status it gets. This file is
/// the policy's documentation: <c>docs/access.md</c> is rendered from it (<see cref="Render"/>) and a test fails
/// when the two differ. Read design §8 for the why; change this table first when the policy changes.
/// </summary>
internal static class AccessMatrix
{
    /// <summary>The fixture: the DIGI story (Team A with worker A, Team B with worker B, one queue); CISS has no events yet.</summary>
    public const string Table = """
        | caller | platforms | digi | queue | team A | team B | worker A | worker B | ciss | admin read | admin write | openapi | health | conversations | stuck list | task fix | hub team A | hub team B | hub worker B | hub ciss |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
        | none | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | expired | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | wrong issuer | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | wrong audience | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | forged signature | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | alg none | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | revoked kiosk | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 401 | 200 | 401 | 401 | 401 | 401 | 401 | 401 | 401 |
        | no role | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 403 | 200 | 403 | 403 | 403 | 403 | 403 | 403 | 403 |
        | lifeline.admin | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
        | wfo.full_access digi | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 404 | 403 | 403 | 200 | 200 | 200 | 200 | 403 | 200 | 200 | 200 | 404 |
        | wfo.data_analyst digi | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 404 | 403 | 403 | 200 | 200 | 200 | 200 | 403 | 200 | 200 | 200 | 404 |
        | wfo.team_leader digi Team A | 200 | 403 | 200 | 200 | 403 | 200 | 403 | 404 | 403 | 403 | 200 | 200 | 200 | 200 | 403 | 200 | 403 | 403 | 404 |
        | kiosk digi Team A | 200 | 403 | 403 | 200 | 403 | 403 | 403 | 404 | 403 | 403 | 403 | 200 | 403 | 403 | 403 | 200 | 403 | 403 | 404 |
        """;

    /// <summary>What each column asks; every request of a column must answer the cell's status.</summary>
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["platforms"] = "`GET /api/platforms` (200 lists only what the caller may see)",
        ["digi"] = "DIGI's totals: `GET /api/platforms/digi/{metrics,logged-status,live,report}`",
        ["queue"] = "a DIGI queue: `…/digi/queues/{taskQueueSid}/…` (the same four reads)",
        ["team A"] = "`…/digi/teams/Team A/…`, the team leader's own team",
        ["team B"] = "`…/digi/teams/Team B/…`, another team",
        ["worker A"] = "`…/digi/workers/{a worker of Team A}/…` (the four reads and `timeline`)",
        ["worker B"] = "`…/digi/workers/{a worker of Team B}/…`",
        ["ciss"] = "CISS's totals: a platform the non-admin callers are not granted (404: as if it did not exist)",
        ["admin read"] = "`GET /api/admin/quarantine`, `GET /api/admin/kiosk-tokens`, `GET /api/admin/audit`",
        ["admin write"] = "`POST /api/admin/quarantine/reapply`",
        ["openapi"] = "`GET /openapi/v1.json`",
        ["health"] = "`GET /healthz`, `GET /status` (always anonymous; so are the signed webhooks and sign-in)",
        ["conversations"] = "`GET /api/platforms/digi/conversations?from=2026-11-24&to=2026-11-24` (a team leader's list holds only its teams; an analyst's has pseudonyms, never CS names)",
        ["stuck list"] = "`GET /api/platforms/digi/tasks/stuck` and `GET …/digi/tasks/fixes` (every person allowed the platform; `fixes` says whether the caller may fix tasks)",
        ["task fix"] = "`POST /api/platforms/digi/tasks/{taskSid}/cancel` and `…/complete` with a reason: only `lifeline.admin` (sent to TaskRouter, here its recorded double; every other caller gets a 403 problem, audited)",
        ["hub team A"] = "`/hubs/wallboard` `Subscribe(digi, team, Team A)`: 401/403 = connection refused, 403/404 after connecting = the call refused",
        ["hub team B"] = "`Subscribe(digi, team, Team B)`",
        ["hub worker B"] = "`Subscribe(digi, worker, {a worker of Team B})`",
        ["hub ciss"] = "`Subscribe(ciss, platform, ciss)`",
    };

    /// <summary>Who asks. Every token is signed with the configured key unless the row says otherwise.</summary>
    public static readonly IReadOnlyDictionary<string, string> Callers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["none"] = "no credentials at all",
        ["expired"] = "an admin token whose `exp` has passed (beyond the clock skew)",
        ["wrong issuer"] = "an admin token from another `iss`",
        ["wrong audience"] = "an admin token for another `aud`",
        ["forged signature"] = "an admin token signed with another key",
        ["alg none"] = "an unsigned admin token (`alg: none`)",
        ["revoked kiosk"] = "a kiosk token an admin has revoked",
        ["no role"] = "a valid token with DIGI granted but none of the roles below",
        ["lifeline.admin"] = "an admin: every platform, every read, admin actions",
        ["wfo.full_access digi"] = "full access, granted DIGI",
        ["wfo.data_analyst digi"] = "a data analyst, granted DIGI (aggregates; never CS names or transcripts)",
        ["wfo.team_leader digi Team A"] = "a team leader of Team A, granted DIGI",
        ["kiosk digi Team A"] = "a wallboard's kiosk token for DIGI's Team A",
    };

    public sealed record Row(string Caller, IReadOnlyDictionary<string, int> Statuses);

    public static IReadOnlyList<string> Header => Lines()[0].Skip(1).ToList();

    public static IReadOnlyList<Row> Rows =>
        Lines().Skip(2).Select(cells => new Row(
            cells[0],
            Header.Select((column, i) => (column, status: int.Parse(cells[i + 1], System.Globalization.CultureInfo.InvariantCulture)))
                .ToDictionary(c => c.column, c => c.status, StringComparer.Ordinal))).ToList();

    /// <summary>A row's statuses in the table's form, for a readable comparison.</summary>
    public static string Format(string caller, IEnumerable<int> statuses) => $"| {caller} | {string.Join(" | ", statuses)} |";

    /// <summary>docs/access.md.</summary>
    public static string Render()
    {
        var lines = new List<string>
        {
            "# Access",
            "",
            "Who may read what (design §8). Generated from `tests/LifelineRealtime.Host.Tests/Access/AccessMatrix.cs`;",
            "`AccessMatrixTests` asks every cell of the host and fails when an answer or this page differs.",
            "",
            "- **401**: not signed in (no credentials, or credentials that do not validate).",
            "- **403**: signed in, not allowed (no role, a team leader outside its teams, a kiosk outside its scope, a task fix by anyone but an admin).",
            "- **404**: a platform the caller is not granted answers as if it did not exist.",
            "- `/api/platforms` lists only the platforms, queues, teams and workers the caller may read.",
            "",
            "Roles arrive in the `roles` claim, platforms in `platforms` (`ciss`, `digi`), a team leader's teams in",
            "`teams` (claim names are configurable under `Lifeline:Auth`). Sign-in, kiosk tokens and the audit log:",
            "[README](../README.md#sign-in-and-access).",
            "",
        };
        lines.AddRange(Table.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        lines.Add("");
        lines.Add("Columns:");
        lines.Add("");
        lines.AddRange(Columns.Select(c => $"- **{c.Key}**: {c.Value}"));
        lines.Add("");
        lines.Add("Callers:");
        lines.Add("");
        lines.AddRange(Callers.Select(c => $"- **{c.Key}**: {c.Value}"));
        return string.Join('\n', lines) + "\n";
    }

    private static List<string[]> Lines() =>
        Table.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
}
