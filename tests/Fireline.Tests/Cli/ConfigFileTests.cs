using Fireline.Cli.Configuration;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.Networks;

namespace Fireline.Tests.Cli;

public sealed class ConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fireline-config-").FullName;

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "fireline.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_shipped_example_reads_whole_with_its_networks()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Fireline.slnx")))
        {
            root = root.Parent!;
        }

        var config = ConfigFile.Load(Path.Combine(root.FullName, "deploy", "fireline.yaml"));

        Assert.Equal("/var/lib/fireline", config.StateDir);
        Assert.Equal("/run/fireline/fireline.sock", config.Socket);
        Assert.Equal("fireline", config.SocketGroup);
        Assert.Equal("json", config.LogFormat);
        Assert.Null(config.Listen);
        Assert.Equal("eth0", config.Host!.Uplink);
        var network = Assert.Single(NetworkFileParser.ParseNetworks(config.Networks!));
        Assert.Equal("tenant-a", network.Name);
        Assert.Equal("allow-ssh", Assert.Single(network.Policies).Name);
    }

    [Fact]
    public void Problems_in_the_networks_section_are_reported_at_the_files_own_lines()
    {
        var config = ConfigFile.Load(Write("""
            socket: /run/x.sock
            networks:
              - name: a
                subnet: 10.1.0.0/24
              - name: b
                subnet: 10.2.0.0/24
                nat: perhaps
            logFormat: text
            """));

        Assert.Equal("text", config.LogFormat);
        var error = Assert.Throws<FirelineException>(() => NetworkFileParser.ParseNetworks(config.Networks!));
        Assert.Contains("nat must be true or false", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_line_mapping_is_read_too()
    {
        var config = ConfigFile.Load(Write("{socket: /run/x.sock, networks: [{name: a, subnet: 10.1.0.0/24}]}"));

        Assert.Equal("/run/x.sock", config.Socket);
        Assert.Equal("a", Assert.Single(NetworkFileParser.ParseNetworks(config.Networks!)).Name);
    }

    [Theory]
    [InlineData("stateDir: /x\nsocet: /y\n", "line 2: unknown key 'socet'")]
    [InlineData("host:\n  nat: sometimes\n", "host.nat must be true or false")]
    [InlineData("host:\n  uplink: eth0\n  subnet: 10.0.0.0/8\n  bridges: x\n", "unknown key 'host.bridges'")]
    [InlineData("host: eth0\n", "host is a mapping")]
    [InlineData("socket: [a, b]\n", "socket must be a single value")]
    [InlineData("- a\n- b\n", "one YAML mapping")]
    [InlineData("socket: 'unclosed\n", "not valid YAML")]
    public void Anything_unknown_or_malformed_is_an_error_naming_it(string yaml, string expected)
    {
        var path = Write(yaml);

        var error = Assert.Throws<FirelineException>(() => ConfigFile.Load(path));

        Assert.Equal("invalid-argument", error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_sets_nothing()
    {
        var config = ConfigFile.Load(Write("# nothing yet\n"));

        Assert.Null(config.StateDir);
        Assert.Null(config.Host);
        Assert.Null(config.Networks);
    }

    [Theory]
    [InlineData("socket: /run/x.sock\nnetworks:\n  - name: a\n    subnet: 10.1.0.0/24\n    policies:\n      - {name: \"a;b\", direction: ingress, action: allow}\nlogFormat: json\n", 6)]
    [InlineData("{socket: /run/x.sock,\n networks: [{name: a, subnet: 10.1.0.0/24,\n  policies: [{name: \"a;b\", direction: ingress, action: allow}]}]}", 3)]
    public void Its_networks_are_validated_as_a_networks_file_with_the_files_lines(string yaml, int line)
    {
        var config = ConfigFile.Load(Write(yaml));

        var error = Assert.Throws<FirelineException>(() => NetworkFileParser.ParseNetworks(config.Networks!));
        Assert.Equal("networks[0].policies[0].name", error.Field);
        Assert.Contains($"(line {line})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_has_the_bounds_of_a_networks_file()
    {
        var error = Assert.Throws<FirelineException>(() => ConfigFile.Load(Write("stateDir: &s /var/lib/fireline\nsocket: *s\n")));
        Assert.Equal("config", error.Field);
        Assert.Contains("stateDir: an anchor (&name)", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<FirelineException>(() => ConfigFile.Load(Write("stateDir: /x\n" + new string('#', BoundedYaml.MaxDocumentLength))));
        Assert.Contains("larger than 16 MiB", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
