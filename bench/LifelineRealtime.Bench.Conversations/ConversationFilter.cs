using System.Globalization;
using LifelineRealtime.Domain.Conversations;
using LifelineRealtime.Storage.Conversations;

namespace LifelineRealtime.Bench.Conversations;

/// <summary>One filter of the month's list, as the store, the API and the journal SQL each take it.</summary>
internal sealed record ConversationFilter(string Name, string? Team = null, string? Worker = null, string? SupportType = null, string? Outcome = null, string? Sid = null)
{
    public ConversationQuery ToQuery(string platform, long fromMs, long toMs, int limit, ConversationPosition? after) => new(
        platform, fromMs, toMs, limit, after,
        Teams: Team is null ? null : [Team],
        Worker: Worker,
        SupportType: SupportType,
        Outcome: Outcome is null ? null : Enum.GetValues<ConversationOutcome>().Single(o => SqliteConversationStore.OutcomeName(o) == Outcome),
        Sid: Sid);

    /// <summary>The list's URL for the month, the first page or the one after <paramref name="cursor"/>.</summary>
    public string ToUrl(string platform, DateOnly first, DateOnly last, string? cursor)
    {
        var query = new List<string>
        {
            "from=" + first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "to=" + last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("team", Team);
        Add("worker", Worker);
        Add("supportType", SupportType);
        Add("outcome", Outcome);
        Add("q", Sid);
        Add("cursor", cursor);
        return $"/api/platforms/{Uri.EscapeDataString(platform)}/conversations?{string.Join('&', query)}";
    }
}
