namespace LifelineRealtime.Storage.Journal;

/// <summary>
/// Another process (a second engine started on the same data folder) holds the journal's instance lock.
/// Two engines on one journal would each dispatch every event to their own grains, so the second one stops
/// at start, naming the file, before it opens the journal for writing.
/// </summary>
public sealed class JournalInUseException : IOException
{
    public JournalInUseException()
        : this("The journal is in use by another process.")
    {
    }

    public JournalInUseException(string message)
        : base(message)
    {
    }

    public JournalInUseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
