using Microsoft.Data.Sqlite;

namespace Fireline.TestSupport;

/// <summary>Edits a closed engine's state database behind its back, as a crash or an operator would.</summary>
public static class StateDatabase
{
    public static void Execute(string stateDirectory, string sql)
    {
        // Without pooling: a pooled connection keeps the database file open after the test is done with it.
        var path = Path.Combine(stateDirectory, "fireline.db");
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
