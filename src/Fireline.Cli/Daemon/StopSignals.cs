using System.Runtime.InteropServices;

namespace Fireline.Cli.Daemon;

/// <summary>
/// SIGTERM and SIGINT, handled for the daemon's whole life: each asks for an orderly stop, never kills it. The
/// web host handles them only between its start and its disposal, and a signal outside that window took the
/// default action: a second SIGTERM during the shutdown (systemd's stop and an operator's kill, or a
/// supervisor that signals again) ended the daemon with signal 15 instead of exit 0, and one during the
/// start-up reconcile cut it short. The registrations are kept until the process exits.
/// </summary>
internal static class StopSignals
{
    private static readonly CancellationTokenSource Stop = new();
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration[]? _registrations;

    /// <summary>Cancelled at the first SIGTERM or SIGINT.</summary>
    public static CancellationToken Requested => Stop.Token;

    /// <summary>Handles both signals from now until the process exits (a second call changes nothing).</summary>
    public static void Handle()
    {
        lock (Gate)
        {
            _registrations ??= [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Request), PosixSignalRegistration.Create(PosixSignal.SIGINT, Request)];
        }
    }

    private static void Request(PosixSignalContext context)
    {
        context.Cancel = true;
        Stop.Cancel();
    }
}
