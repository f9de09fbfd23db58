using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;

namespace Fireline.Tuning;

/// <summary>
/// <c>fireline host tune</c>: compares the host namespace with <see cref="TuningProfile"/>, sets what falls short
/// (only raising values, so a second run finds nothing to do), and writes the profile as its sysctl.d file
/// (<see cref="TuningFile"/>). Machine-wide keys are read wherever they are visible, and set only when the
/// host namespace is the one Fireline runs in (on a normal install, the machine's own): a Fireline pointed at
/// another namespace with --host-netns (a test host) never changes the rest of the machine.
/// </summary>
/// <param name="sysctlDirectory">Where <see cref="TuningFile"/> is written: <see cref="TuningFile.SystemDirectory"/> but in tests.</param>
public sealed class HostTuner(HostKernel kernel, string sysctlDirectory)
{
    public TuneReport Tune(bool apply, bool write)
    {
        // The process's own namespace (PID 1's may not be open to us: a sandbox, a user namespace).
        using var machine = NetworkNamespace.Current();
        var isMachine = kernel.Namespace.IsSameAs(machine);
        var settings = new List<TunedSetting>();
        foreach (var target in TuningProfile.Targets)
        {
            settings.Add(Tune(target, apply, isMachine, machine));
        }

        return new TuneReport
        {
            Applied = apply,
            MachineNamespace = isMachine,
            File = write ? TuningFile.Write(sysctlDirectory, settings) : null,
            Settings = settings,
        };
    }

    private TunedSetting Tune(SysctlTarget target, bool apply, bool isMachine, NetworkNamespace machine)
    {
        var current = Read(target, isMachine, machine);
        var row = new TunedSetting { Key = target.Key, Scope = target.Scope, Current = current, Wanted = target.Value, Status = TuneStatus.Unavailable, Reason = target.Reason };
        if (current is null)
        {
            return row with { Note = "this kernel has no such key (its module is not loaded)" };
        }

        var wanted = target.Wanted(current);
        if (wanted is null)
        {
            return row with { Wanted = string.Join(' ', current.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)), Status = TuneStatus.Ok };
        }

        row = row with { Wanted = wanted, Status = TuneStatus.Differs };
        var foreign = target.Scope == SysctlScope.Machine && !isMachine;
        if (foreign)
        {
            row = row with { Note = "machine-wide: set only from the machine's own namespace, or at boot from the --write file" };
        }

        if (!apply)
        {
            return row;
        }

        if (foreign)
        {
            return row with { Status = TuneStatus.Skipped };
        }

        try
        {
            Sysctl.Write(kernel.Namespace, target.Key, wanted);
        }
        catch (KernelException error)
        {
            throw DomainErrors.Kernel($"setting {target.Key} = {wanted}", error);
        }

        return row with { Status = TuneStatus.Set };
    }

    /// <summary>The key's value in the host namespace; a machine-wide key a child namespace does not show is read in the machine's.</summary>
    private string? Read(SysctlTarget target, bool isMachine, NetworkNamespace machine)
    {
        try
        {
            return Sysctl.Read(kernel.Namespace, target.Key);
        }
        catch (KernelObjectNotFoundException) when (target.Scope == SysctlScope.Machine && !isMachine)
        {
            return ReadOrNull(machine, target.Key);
        }
        catch (KernelObjectNotFoundException)
        {
            return null; // this kernel lacks the key: reported as unavailable
        }
    }

    private static string? ReadOrNull(NetworkNamespace ns, string key)
    {
        try
        {
            return Sysctl.Read(ns, key);
        }
        catch (KernelObjectNotFoundException)
        {
            return null; // this kernel lacks the key: reported as unavailable
        }
    }
}
