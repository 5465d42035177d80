using Microsoft.Data.Sqlite;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Storage.Tests;

public sealed class SqliteRuntimeTests
{
    [Fact]
    public void Sqlite_NativeLibrary_SupportsWal()
    {
        var path = Path.Combine(TestData.Root, $"{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            Assert.Equal("wal", command.ExecuteScalar() as string);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
