using Orleans.Storage;

namespace LifelineRealtime.Grains.Persistence;

/// <summary>Settings of the embedded-mode grain storage.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Path of the SQLite file holding grain state (created with its folder when missing).</summary>
    public string Path { get; set; } = "data/lifeline-grains.db";

    /// <summary>
    /// Orleans' binary serializer unless set: compact, and version tolerant for <c>[Id]</c> members (the
    /// JSON serializer Orleans would otherwise pick costs several times more per checkpoint).
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
