using System.Text.Json;
using Fireline.Addressing;
using Fireline.Cli.Daemon;
using Fireline.Cli.Output;
using Fireline.State;
using Fireline.Vms;
using Microsoft.AspNetCore.Http;

namespace Fireline.Tests.Cli;

/// <summary>A body kept in pieces, from each record's own JSON, is sent as the serializer's one array would be, with its length, as often as asked.</summary>
public sealed class JsonBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(600)] // ~300 KB: several pieces, records cut across their boundaries
    public async Task Sends_what_the_serializer_writes_with_its_length_each_time(int vms)
    {
        var network = new NetworkSpec { Name = "n", Subnet = Ipv4Network.Parse("10.1.0.0/16"), Bridge = "br-n" };
        IReadOnlyList<VmRecord> records = [.. Enumerable.Range(0, vms).Select(i =>
            VmRecords.From(new VmState(VmId.Parse($"vm-{i}"), "n", network.Subnet.FirstVmAddress + (uint)i, new VmOptions(), VmLifecycle.Ready), network, "/var/run/netns"))];
        var expected = JsonSerializer.SerializeToUtf8Bytes(records, CliJson.Api.IReadOnlyListVmRecord);

        var body = JsonBody.OfArray(records, r => JsonSerializer.SerializeToUtf8Bytes(r, CliJson.Api.VmRecord));
        for (var send = 0; send < 2; send++)
        {
            var context = new DefaultHttpContext();
            using var sent = new MemoryStream();
            context.Response.Body = sent;
            await body.ExecuteAsync(context);

            Assert.Equal(expected, sent.ToArray());
            Assert.Equal(expected.Length, context.Response.ContentLength);
            Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        }
    }
}
