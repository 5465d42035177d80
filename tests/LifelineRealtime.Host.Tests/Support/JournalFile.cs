using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using LifelineRealtime.Storage.Journal;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Host.Tests.Support;

/// <summary>
/// Reads a journal file a host process is using or has left, as the offline fold would: straight from the
/// file, read-only, so it needs neither the engine's instance lock nor the writer.
/// </summary>
internal static class JournalFile
{
    public static async Task<IReadOnlyList<JournalRecord>> ReadAllAsync(string path, CancellationToken ct)
    {
        var records = new List<JournalRecord>();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, platform, event_sid, event_type, event_time_ms, task_sid, worker_sid, format, payload, arrived_ms FROM events ORDER BY seq;";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var form = reader.GetString(7) == "form";
            var payload = reader.GetString(8);
            var parsed = form ? TaskRouterEventParser.ParseFormBody(payload) : TaskRouterEventParser.ParseCloudEvent(payload);
            records.Add(new JournalRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                form ? JournalWireFormat.Form : JournalWireFormat.EventStreams,
                payload,
                reader.GetInt64(9),
                parsed.Event ?? new UnknownEvent
                {
                    Sid = reader.GetString(2),
                    EventType = reader.GetString(3),
                    Type = TaskRouterEventType.Unknown,
                    AccountSid = "",
                    WorkspaceSid = "",
                    TimestampMs = reader.GetInt64(4),
                },
                parsed.IsSuccess ? null : "the payload no longer parses"));
        }

        return records;
    }
}
