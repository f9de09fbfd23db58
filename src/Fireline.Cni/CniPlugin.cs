using System.Text.Json;
using Fireline.Attachments;

namespace Fireline.Cni;

/// <summary>
/// One CNI operation, start to exit: the verb from <c>CNI_COMMAND</c>, the configuration from stdin, one request to
/// the daemon, the result (or the spec's error JSON and exit code 1) on stdout. Nothing is written until the verb is
/// done, so stdout holds exactly one document.
/// </summary>
internal static class CniPlugin
{
    /// <summary>The most configuration read from stdin; real ones (with a chained prevResult) are a few KiB.</summary>
    private const int MaxConfig = 1024 * 1024;

    public static int Run(CniEnvironment environment, Stream input, Stream output)
    {
        var buffer = new MemoryStream();
        var version = CniVersion.Supported[^1];
        var exit = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            try
            {
                var command = environment.Command is { Length: > 0 } c ? c : throw MissingCommand();
                var bytes = Read(input);
                version = CniConfig.PeekVersion(bytes) is { } asked && CniVersion.Supported.Contains(asked) ? asked : version;
                if (command == "VERSION")
                {
                    CniResult.WriteVersion(json, CniConfig.PeekVersion(bytes) ?? version);
                }
                else
                {
                    Dispatch(command, environment, CniConfig.Parse(bytes), json);
                }
            }
            catch (CniException error)
            {
                json.Reset();
                buffer.SetLength(0);
                CniResult.WriteError(json, version, error);
                exit = 1;
            }
        }

        buffer.Position = 0;
        buffer.CopyTo(output);
        output.Flush();
        return exit;
    }

    private static void Dispatch(string command, CniEnvironment environment, CniConfig config, Utf8JsonWriter json)
    {
        switch (command)
        {
            case "ADD":
                Add(environment, config, json);
                break;
            case "DEL":
                Delete(environment, config);
                break;
            case "CHECK":
                config.Version.Allows("CHECK", "0.4.0");
                Check(environment, config);
                break;
            case "GC":
                config.Version.Allows("GC", "1.1.0");
                Collect(config);
                break;
            case "STATUS":
                config.Version.Allows("STATUS", "1.1.0");
                Status(config);
                break;
            default:
                throw new CniException(CniCodes.InvalidEnvironment, "invalid CNI_COMMAND",
                    $"CNI_COMMAND: {CniEnvironment.Quote(command)} is not ADD, DEL, CHECK, GC, STATUS or VERSION");
        }
    }

    private static void Add(CniEnvironment environment, CniConfig config, Utf8JsonWriter json)
    {
        var containerId = environment.RequireContainerId();
        var ifName = environment.RequireIfName();
        var (tapName, tapUid, tapGid) = environment.TapArgs();
        // tc-redirect-tap's CNI_ARGS override the configuration, as they do for tc-redirect-tap.
        var request = DaemonJson.AttachRequest(config.RequireName(), environment.RequireNetns(), config, tapName ?? config.TapName,
            tapUid ?? config.TapOwner, tapGid ?? config.TapGroup);
        var daemon = new DaemonConnection(config.Socket, CniCodes.TryAgainLater);
        var attachment = daemon.Send("PUT", AttachmentPath(containerId, ifName), request, DaemonJson.Record);
        CniResult.WriteAdd(json, config.Version, attachment, config.PrevResult);
    }

    /// <summary>DEL needs no prevResult and no namespace (it may be gone): the daemon's record says what to remove.</summary>
    private static void Delete(CniEnvironment environment, CniConfig config)
    {
        var path = AttachmentPath(environment.RequireContainerId(), environment.RequireIfName()) + NetworkQuery(config);
        var daemon = new DaemonConnection(config.Socket, CniCodes.TryAgainLater);
        daemon.Send("DELETE", path, null, _ => true);
    }

    /// <summary>
    /// CHECK: the daemon checks devices, redirect, firewall elements and lease; here the runtime's view is held against
    /// them: the namespace it names, and the address its prevResult says the ADD gave.
    /// </summary>
    private static void Check(CniEnvironment environment, CniConfig config)
    {
        var containerId = environment.RequireContainerId();
        var netns = environment.RequireNetns();
        var path = AttachmentPath(containerId, environment.RequireIfName()) + NetworkQuery(config);
        var previous = config.PrevResult ?? throw new CniException(CniCodes.InvalidConfig, "invalid network configuration: prevResult", "prevResult: CHECK needs the ADD's result");
        var daemon = new DaemonConnection(config.Socket, CniCodes.TryAgainLater);
        var check = daemon.Send("GET", path, null, DaemonJson.Check);
        var problems = check.Problems.ToList();
        var attachment = check.Attachment;
        if (attachment.Attachment.Netns != netns)
        {
            problems.Add($"the attachment is in namespace {attachment.Attachment.Netns}, not in CNI_NETNS {netns}");
        }

        var address = $"{attachment.Ipv4.Address}/{attachment.Ipv4.PrefixLength}";
        if (!Addresses(previous).Contains(address))
        {
            problems.Add($"prevResult does not hold the attachment's address {address}");
        }

        if (problems.Count > 0)
        {
            throw new CniException(CniCodes.CheckFailed, $"attachment {containerId} is not as ADD made it", string.Join("; ", problems));
        }
    }

    private static void Collect(CniConfig config)
    {
        var valid = config.ValidAttachments ?? throw new CniException(CniCodes.InvalidConfig, $"invalid network configuration: {CniConfig.ValidAttachmentsKey}",
            $"{CniConfig.ValidAttachmentsKey}: GC needs the list of attachments still valid (an empty list removes them all)");
        var daemon = new DaemonConnection(config.Socket, CniCodes.TryAgainLater);
        daemon.Send("POST", "/v1/attachments:gc", DaemonJson.GcRequest(config.RequireName(), valid), _ => true);
    }

    /// <summary>STATUS: 50 unless the daemon answers and the network has an address (and a bridge port) left for an ADD.</summary>
    private static void Status(CniConfig config)
    {
        var daemon = new DaemonConnection(config.Socket, CniCodes.NotAvailable);
        (int Vms, long Capacity) use;
        try
        {
            use = daemon.Send("GET", $"/v1/networks/{Uri.EscapeDataString(config.Network)}", null, DaemonJson.NetworkUse);
        }
        catch (CniException error) when (error.Code != CniCodes.NotAvailable)
        {
            throw new CniException(CniCodes.NotAvailable, "Fireline cannot serve ADD on this network", error.Details ?? error.Message);
        }

        if (use.Vms >= use.Capacity)
        {
            throw new CniException(CniCodes.NotAvailable, "the network has no free address",
                $"network {CniEnvironment.Quote(config.Network)}: {use.Vms} VMs, the most it takes");
        }
    }

    private static IEnumerable<string> Addresses(JsonElement result)
        => result.ValueKind == JsonValueKind.Object && result.TryGetProperty("ips", out var ips) && ips.ValueKind == JsonValueKind.Array
            ? ips.EnumerateArray().Where(ip => ip.ValueKind == JsonValueKind.Object && ip.TryGetProperty("address", out _))
                .Select(ip => ip.GetProperty("address").ToString())
            : [];

    private static string AttachmentPath(string containerId, string ifName) => $"/v1/attachments/{containerId}/{Uri.EscapeDataString(ifName)}";

    private static string NetworkQuery(CniConfig config) => "?cniNetwork=" + Uri.EscapeDataString(config.RequireName());

    private static byte[] Read(Stream input)
    {
        try
        {
            var buffer = new MemoryStream();
            var chunk = new byte[4096];
            var total = 0L;
            int read;
            while ((read = input.Read(chunk)) > 0)
            {
                // Past the limit the rest is read and dropped: a runtime still writing would otherwise fail on a closed pipe.
                total += read;
                if (total <= MaxConfig)
                {
                    buffer.Write(chunk, 0, read);
                }
            }

            return total <= MaxConfig ? buffer.ToArray()
                : throw new CniException(CniCodes.IoFailure, "the network configuration is too large", $"stdin held {total} bytes, more than the {MaxConfig} read");
        }
        catch (IOException error)
        {
            throw new CniException(CniCodes.IoFailure, "cannot read the network configuration from stdin", error.Message);
        }
    }

    private static CniException MissingCommand() => new(CniCodes.InvalidEnvironment, "invalid CNI_COMMAND", "CNI_COMMAND: it is missing");
}
