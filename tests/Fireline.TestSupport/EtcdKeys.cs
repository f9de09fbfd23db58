using System.Text;
using System.Text.Json;

namespace Fireline.TestSupport;

/// <summary>
/// Reads and writes keys of a test's etcd directly, as an outside observer (or an attacker with access to etcd):
/// etcd's JSON gateway (<c>/v3/kv/...</c>, keys and values base64), reached with curl inside etcd's namespace.
/// </summary>
public static class EtcdKeys
{
    /// <summary>Every key under <paramref name="prefix"/> with its value.</summary>
    public static Dictionary<string, string> Under(EtcdCluster etcd, string prefix)
    {
        var end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        var answer = Call(etcd, "range", $$"""{"key":"{{Base64(prefix)}}","range_end":"{{Convert.ToBase64String(end)}}"}""");
        return answer.TryGetProperty("kvs", out var kvs)
            ? kvs.EnumerateArray().ToDictionary(kv => Text(kv.GetProperty("key")), kv => kv.TryGetProperty("value", out var v) ? Text(v) : "")
            : [];
    }

    public static void Put(EtcdCluster etcd, string key, string value) => Call(etcd, "put", $$"""{"key":"{{Base64(key)}}","value":"{{Base64(value)}}"}""");

    private static JsonElement Call(EtcdCluster etcd, string operation, string body)
        => JsonDocument.Parse(Tool.Run("nsenter", $"--net={etcd.NamespacePath}", "--", "curl", "-sf", "--max-time", "5", "-X", "POST",
            "-d", body, EtcdCluster.ClientUrl(0) + "/v3/kv/" + operation)).RootElement.Clone();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Text(JsonElement base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetString()!));
}
