using Fireline.Addressing;
using System.Globalization;
using System.Text.Json;
using Fireline.Linux;
using Fireline.Policy;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Fireline.State;

/// <summary>
/// The SQLite store (<c>STATE_DIR/fireline.db</c>). WAL with synchronous=NORMAL: a commit survives the
/// process being killed at any instant (what reconcile relies on). A power loss may lose the last commits,
/// but it also loses every namespace, link and ruleset they describe, and reconcile then drops those records.
/// One connection, one transaction at a time; SQLite serialises writers anyway and each transaction is short.
/// The connection holds the database's file locks while it is open (locking_mode=EXCLUSIVE): only the holder of the
/// state directory's lock opens it, and taking and dropping SQLite's locks around every statement was two to three
/// fcntl calls each, ~50 per pooled create and delete. The WAL index then lives in memory, not in a -shm file.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private long _generation;

    public SqliteStateStore(string path)
    {
        // SQLite would create the database 0644; made 0600 first, its WAL and shared-memory files follow (SQLite
        // gives them the database's mode). Files an earlier version left looser are tightened.
        PrivateFiles.Open(path).Dispose();
        PrivateFiles.Restrict(path + "-wal");
        PrivateFiles.Restrict(path + "-shm");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS networks(name TEXT PRIMARY KEY, spec TEXT NOT NULL, next_unused INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS vms(
                vm_id TEXT PRIMARY KEY,
                network TEXT NOT NULL REFERENCES networks(name),
                address INTEGER NOT NULL,
                options TEXT NOT NULL,
                lifecycle TEXT NOT NULL,
                UNIQUE(network, address));
            CREATE TABLE IF NOT EXISTS released(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                network TEXT NOT NULL,
                address INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS released_by_network ON released(network, seq);
            CREATE TABLE IF NOT EXISTS forwards(
                protocol TEXT NOT NULL,
                host_port INTEGER NOT NULL,
                vm_id TEXT NOT NULL REFERENCES vms(vm_id),
                vm_port INTEGER NOT NULL,
                PRIMARY KEY(protocol, host_port));
            CREATE TABLE IF NOT EXISTS slots(
                network TEXT NOT NULL REFERENCES networks(name),
                address INTEGER NOT NULL,
                state TEXT NOT NULL,
                PRIMARY KEY(network, address));
            CREATE TABLE IF NOT EXISTS vfs(
                pf TEXT NOT NULL,
                vf_index INTEGER NOT NULL,
                vm_id TEXT NOT NULL UNIQUE,
                device TEXT NOT NULL,
                PRIMARY KEY(pf, vf_index));
            """);
        var version = Scalar("SELECT value FROM meta WHERE key = 'schema'");
        if (version is null)
        {
            Execute($"INSERT INTO meta(key, value) VALUES('schema', '{SchemaVersion}')");
        }
        else if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{path} has state schema {version}; this fireline reads schema {SchemaVersion}");
        }
    }

    public long Generation => Interlocked.Read(ref _generation);

    public HostState? GetHost()
    {
        lock (_lock)
        {
            var json = Scalar("SELECT value FROM meta WHERE key = 'host'");
            return json is null ? null : JsonSerializer.Deserialize(json, StateJson.Default.HostState);
        }
    }

    public void SaveHost(HostState host)
    {
        lock (_lock)
        {
            Execute("INSERT INTO meta(key, value) VALUES('host', $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                ("$v", JsonSerializer.Serialize(host, StateJson.Default.HostState)));
        }
    }

    public string? GetSetting(string key)
    {
        lock (_lock)
        {
            return Query("SELECT value FROM meta WHERE key = $k", r => r.GetString(0), ("$k", "setting." + key)).SingleOrDefault();
        }
    }

    public void SaveSetting(string key, string value)
    {
        lock (_lock)
        {
            Execute("INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                ("$k", "setting." + key), ("$v", value));
        }
    }

    public IReadOnlyDictionary<string, string> ListSettings(string prefix)
    {
        lock (_lock)
        {
            var full = "setting." + prefix;
            return Query("SELECT key, value FROM meta WHERE substr(key, 1, length($p)) = $p", r => (r.GetString(0), r.GetString(1)), ("$p", full))
                .ToDictionary(s => s.Item1["setting.".Length..], s => s.Item2, StringComparer.Ordinal);
        }
    }

    public void DeleteSetting(string key)
    {
        lock (_lock)
        {
            Execute("DELETE FROM meta WHERE key = $k", ("$k", "setting." + key));
        }
    }

    public IReadOnlyList<NetworkState> ListNetworks()
    {
        lock (_lock)
        {
            return Query("SELECT spec, next_unused FROM networks ORDER BY name", ReadNetwork);
        }
    }

    public NetworkState? GetNetwork(string name)
    {
        lock (_lock)
        {
            if (!_networks.TryGetValue(name, out var network))
            {
                network = Query("SELECT spec, next_unused FROM networks WHERE name = $n", ReadNetwork, ("$n", name)).SingleOrDefault();
                if (network is not null)
                {
                    _networks[name] = network;
                }
            }

            return network;
        }
    }

    /// <summary>
    /// Networks as last read, by name: every create and delete reads its network, and only a network's own writes (its
    /// spec, its allocator's cursor, its removal) change it. Each of those clears this, as does a rollback.
    /// </summary>
    private readonly Dictionary<string, NetworkState> _networks = new(StringComparer.Ordinal);

    public void SaveNetwork(NetworkSpec spec, uint nextUnused)
    {
        lock (_lock)
        {
            _networks.Clear();
            Execute("""
                INSERT INTO networks(name, spec, next_unused) VALUES($n, $s, $c)
                ON CONFLICT(name) DO UPDATE SET spec = excluded.spec
                """,
                ("$n", spec.Name), ("$s", JsonSerializer.Serialize(spec, StateJson.Default.NetworkSpec)), ("$c", (long)nextUnused));
        }
    }

    public void DeleteNetwork(string name)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            _networks.Clear();
            Execute("DELETE FROM released WHERE network = $n", ("$n", name));
            Execute("DELETE FROM slots WHERE network = $n", ("$n", name));
            Execute("DELETE FROM networks WHERE name = $n", ("$n", name));
            transaction.Commit();
        }
    }

    public IReadOnlyList<VmState> ListVms()
    {
        lock (_lock)
        {
            return Query("SELECT vm_id, network, address, options, lifecycle FROM vms ORDER BY vm_id", ReadVm);
        }
    }

    public VmState? GetVm(VmId vmId)
    {
        lock (_lock)
        {
            return Query("SELECT vm_id, network, address, options, lifecycle FROM vms WHERE vm_id = $id", ReadVm, ("$id", vmId.Value)).SingleOrDefault();
        }
    }

    public IReadOnlyList<uint> ListReleased(string network)
    {
        lock (_lock)
        {
            return Query("SELECT address FROM released WHERE network = $n ORDER BY seq", r => (uint)r.GetInt64(0), ("$n", network));
        }
    }

    public void AddVm(VmState vm, Allocation allocation)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            InsertVm(vm);
            MoveAllocator(vm.Network, allocation);
            transaction.Commit();
        }
    }

    private void InsertVm(VmState vm)
    {
        try
        {
            Execute("INSERT INTO vms(vm_id, network, address, options, lifecycle) VALUES($id, $n, $a, $o, $l)",
                ("$id", vm.VmId.Value), ("$n", vm.Network), ("$a", (long)vm.Address),
                ("$o", JsonSerializer.Serialize(vm.Options, StateJson.Default.VmOptions)), ("$l", vm.Lifecycle.ToString()));
        }
        catch (SqliteException error) when (error.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"VM {vm.VmId} or address {vm.Address} is already recorded", error);
        }
    }

    /// <summary>The allocator's move for a new lease: its cursor, or the released address it took.</summary>
    private void MoveAllocator(string network, Allocation allocation)
    {
        _networks.Clear();
        Execute("UPDATE networks SET next_unused = $c WHERE name = $n", ("$c", (long)allocation.NextUnused), ("$n", network));
        if (allocation.Recycled)
        {
            Execute("DELETE FROM released WHERE seq = (SELECT MIN(seq) FROM released WHERE network = $n AND address = $a)",
                ("$n", network), ("$a", (long)allocation.Address));
        }
    }

    public void SetLifecycle(VmId vmId, VmLifecycle lifecycle)
    {
        lock (_lock)
        {
            Execute("UPDATE vms SET lifecycle = $l WHERE vm_id = $id", ("$l", lifecycle.ToString()), ("$id", vmId.Value));
        }
    }

    public void SetOptions(VmId vmId, VmOptions options)
    {
        lock (_lock)
        {
            Execute("UPDATE vms SET options = $o WHERE vm_id = $id", ("$o", JsonSerializer.Serialize(options, StateJson.Default.VmOptions)), ("$id", vmId.Value));
        }
    }

    public void RemoveVm(VmId vmId)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            Execute("INSERT INTO released(network, address) SELECT network, address FROM vms WHERE vm_id = $id", ("$id", vmId.Value));
            Execute("DELETE FROM forwards WHERE vm_id = $id", ("$id", vmId.Value));
            Execute("DELETE FROM vms WHERE vm_id = $id", ("$id", vmId.Value));
            transaction.Commit();
        }
    }

    public IReadOnlyList<PoolSlot> ListSlots()
    {
        lock (_lock)
        {
            return Query("SELECT network, address, state FROM slots ORDER BY network, address",
                r => new PoolSlot(r.GetString(0), (uint)r.GetInt64(1), Enum.Parse<SlotState>(r.GetString(2))));
        }
    }

    public void AddSlot(PoolSlot slot, Allocation allocation)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            try
            {
                Execute("INSERT INTO slots(network, address, state) VALUES($n, $a, $s)",
                    ("$n", slot.Network), ("$a", (long)slot.Address), ("$s", slot.State.ToString()));
            }
            catch (SqliteException error) when (error.SqliteErrorCode == 19)
            {
                throw new InvalidOperationException($"address {slot.Address} of network {slot.Network} is already a slot's", error);
            }

            MoveAllocator(slot.Network, allocation);
            transaction.Commit();
        }
    }

    public void SetSlotState(string network, uint address, SlotState state)
    {
        lock (_lock)
        {
            Execute("UPDATE slots SET state = $s WHERE network = $n AND address = $a", ("$s", state.ToString()), ("$n", network), ("$a", (long)address));
        }
    }

    public void RemoveSlot(string network, uint address)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            Execute("INSERT INTO released(network, address) SELECT network, address FROM slots WHERE network = $n AND address = $a", ("$n", network), ("$a", (long)address));
            Execute("DELETE FROM slots WHERE network = $n AND address = $a", ("$n", network), ("$a", (long)address));
            transaction.Commit();
        }
    }

    public void TakeSlot(VmState vm)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            if (Execute("DELETE FROM slots WHERE network = $n AND address = $a", ("$n", vm.Network), ("$a", (long)vm.Address)) != 1)
            {
                throw new InvalidOperationException($"no slot of address {vm.Address} in network {vm.Network}");
            }

            InsertVm(vm);
            transaction.Commit();
        }
    }

    public void ReturnSlot(VmId vmId, SlotState state)
    {
        lock (_lock)
        {
            using var transaction = Begin();
            Execute("INSERT INTO slots(network, address, state) SELECT network, address, $s FROM vms WHERE vm_id = $id", ("$s", state.ToString()), ("$id", vmId.Value));
            Execute("DELETE FROM forwards WHERE vm_id = $id", ("$id", vmId.Value));
            Execute("DELETE FROM vms WHERE vm_id = $id", ("$id", vmId.Value));
            transaction.Commit();
        }
    }

    public IReadOnlyList<PortForward> ListForwards()
    {
        lock (_lock)
        {
            return Query("""
                SELECT f.vm_id, f.protocol, f.host_port, f.vm_port, v.address FROM forwards f JOIN vms v ON v.vm_id = f.vm_id
                ORDER BY f.protocol, f.host_port
                """,
                r => new PortForward
                {
                    VmId = VmId.Parse(r.GetString(0)),
                    Protocol = ForwardProtocols.TryParse(r.GetString(1), out var protocol) ? protocol : throw new InvalidDataException($"forward protocol '{r.GetString(1)}' in the state"),
                    HostPort = r.GetInt32(2),
                    VmPort = r.GetInt32(3),
                    VmAddress = Ipv4Network.Format((uint)r.GetInt64(4)),
                });
        }
    }

    public void AddForward(PortForward forward)
    {
        lock (_lock)
        {
            try
            {
                Execute("INSERT INTO forwards(protocol, host_port, vm_id, vm_port) VALUES($p, $h, $v, $m)",
                    ("$p", forward.Protocol.Name()), ("$h", forward.HostPort), ("$v", forward.VmId.Value), ("$m", forward.VmPort));
            }
            catch (SqliteException error) when (error.SqliteErrorCode == 19)
            {
                throw new InvalidOperationException($"{forward.Protocol.Name()} port {forward.HostPort} is already forwarded", error);
            }
        }
    }

    public void RemoveForward(ForwardProtocol protocol, int hostPort)
    {
        lock (_lock)
        {
            Execute("DELETE FROM forwards WHERE protocol = $p AND host_port = $h", ("$p", protocol.Name()), ("$h", hostPort));
        }
    }

    public IReadOnlyList<VfAllocation> ListVfs()
    {
        lock (_lock)
        {
            return Query("SELECT vm_id, pf, vf_index, device FROM vfs ORDER BY pf, vf_index",
                r => new VfAllocation(VmId.Parse(r.GetString(0)), r.GetString(1), r.GetInt32(2), r.GetString(3)));
        }
    }

    public void AddVf(VfAllocation allocation)
    {
        lock (_lock)
        {
            try
            {
                Execute("INSERT INTO vfs(pf, vf_index, vm_id, device) VALUES($p, $i, $v, $d)",
                    ("$p", allocation.Pf), ("$i", allocation.Index), ("$v", allocation.VmId.Value), ("$d", allocation.Device));
            }
            catch (SqliteException error) when (error.SqliteErrorCode == 19)
            {
                throw new InvalidOperationException($"VF {allocation.Pf}#{allocation.Index} or VM {allocation.VmId} already has an allocation", error);
            }
        }
    }

    public void RemoveVf(VmId vmId)
    {
        lock (_lock)
        {
            Execute("DELETE FROM vfs WHERE vm_id = $v", ("$v", vmId.Value));
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    /// <summary>Network specs as read, by their text: every create reads its network's (twice), and few change it.</summary>
    private readonly Dictionary<string, NetworkSpec> _specs = new(StringComparer.Ordinal);

    /// <summary>The caller holds <see cref="_lock"/>. <see cref="NetworkSpec"/> is immutable, so reads may share one.</summary>
    private NetworkState ReadNetwork(SqliteDataReader reader)
    {
        var text = reader.GetString(0);
        if (!_specs.TryGetValue(text, out var spec))
        {
            if (_specs.Count >= 1024)
            {
                _specs.Clear(); // specs replaced or deleted long ago: bounded
            }

            _specs[text] = spec = JsonSerializer.Deserialize(text, StateJson.Default.NetworkSpec)!;
        }

        return new(spec, (uint)reader.GetInt64(1));
    }

    /// <summary>The caller holds <see cref="_lock"/>.</summary>
    private VmState ReadVm(SqliteDataReader reader)
        => new(VmId.Parse(reader.GetString(0)), reader.GetString(1), (uint)reader.GetInt64(2), ReadOptions(reader.GetString(3)),
            Enum.Parse<VmLifecycle>(reader.GetString(4)));

    /// <summary>
    /// Options by their text: most VMs share one, and a VM whose row did not change reads as the same instance, so a list
    /// after a write rebuilds the records of the VMs that changed only (see <see cref="Vms.VmNetworks.List"/>).
    /// </summary>
    private readonly Dictionary<string, VmOptions> _options = new(StringComparer.Ordinal);

    /// <summary>The caller holds <see cref="_lock"/>. <see cref="VmOptions"/> is immutable, so VMs may share one.</summary>
    private VmOptions ReadOptions(string text)
    {
        if (!_options.TryGetValue(text, out var options))
        {
            if (_options.Count >= 16_384)
            {
                _options.Clear(); // options of VMs long gone: bounded
            }

            _options[text] = options = JsonSerializer.Deserialize(text, StateJson.Default.VmOptions)!;
        }

        return options;
    }

    /// <summary>Runs a statement (every write is one); returns how many rows it changed.</summary>
    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        Interlocked.Increment(ref _generation);
        return Command(sql, parameters).ExecuteNonQuery();
    }

    private string? Scalar(string sql) => Command(sql, []).ExecuteScalar() as string;

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>
    /// Begins a transaction by a kept statement. The caller holds <see cref="_lock"/> (or is the constructor).
    /// Microsoft.Data.Sqlite's own transaction compiles BEGIN and COMMIT anew each time: a third of a pooled create's write.
    /// </summary>
    private Transaction Begin()
    {
        Execute("BEGIN");
        return new Transaction(this);
    }

    /// <summary>Committed whole, or rolled back when left before <see cref="Commit"/> (a statement of it threw).</summary>
    private sealed class Transaction(SqliteStateStore store) : IDisposable
    {
        private bool _committed;

        public void Commit()
        {
            store.Execute("COMMIT");
            _committed = true;
        }

        public void Dispose()
        {
            // Some errors (a full disk, for one) end the transaction in SQLite already: a ROLLBACK then would fail.
            if (!_committed && raw.sqlite3_get_autocommit(store._connection.Handle) == 0)
            {
                store.Execute("ROLLBACK");
            }

            if (!_committed)
            {
                store._networks.Clear(); // a network read inside the transaction may have seen its writes
            }
        }
    }

    /// <summary>
    /// The command for <paramref name="sql"/>, kept from its first use: SQLite compiles a statement once per command, and
    /// compiling is most of what a short statement costs (a create runs half a dozen). The caller holds <see cref="_lock"/>.
    /// </summary>
    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
