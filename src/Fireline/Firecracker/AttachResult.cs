namespace Fireline.Firecracker;

/// <summary>What <see cref="FirecrackerClient.Attach"/> found and did.</summary>
/// <param name="State">The VMM's state when attaching began; it decided between configuring and patching.</param>
/// <param name="Requests">The changes sent, in order, e.g. <c>PUT /network-interfaces/eth0</c>.</param>
/// <param name="Skipped">What was asked but cannot apply in that state, each with the reason.</param>
public sealed record AttachResult(VmmState State, IReadOnlyList<string> Requests, IReadOnlyList<string> Skipped);
