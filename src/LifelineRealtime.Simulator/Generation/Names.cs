namespace LifelineRealtime.Simulator.Generation;

/// <summary>Synthetic people: every name is made up from these short lists.</summary>
internal static class Names
{
    public static readonly string[] Given =
    [
        "Alex", "Blake", "Casey", "Drew", "Emery", "Finley", "Harper", "Jamie", "Jordan", "Kai",
        "Logan", "Morgan", "Parker", "Quinn", "Riley", "Rowan", "Sam", "Skyler", "Taylor", "Reese",
        "Avery", "Charlie", "Dakota", "Eden", "Frankie", "Hayden", "Jesse", "Kendall", "Lane", "Noel",
    ];

    public static readonly string[] Family =
    [
        "Example", "Sample", "Citizen", "Placeholder", "Fictive", "Testing", "Madeup", "Specimen",
        "Notreal", "Demo", "Mock", "Synthetic", "Invented", "Pretend", "Dummy", "Model",
    ];

    public static readonly string[] Locations = ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart"];

    /// <summary>Flex's identity escaping for <c>contact_uri</c>: every non-alphanumeric character becomes
    /// <c>_XX</c> (upper-case hex), e.g. <c>client:blake_2Eexample_40example_2Eorg</c>.</summary>
    public static string FlexIdentity(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length * 2);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('_').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
