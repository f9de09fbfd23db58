using System.Text;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;

namespace Fireline.Tuning;

/// <summary>
/// <c>fireline host tune</c>: compares the host namespace with <see cref="TuningProfile"/>, sets what falls short
/// (only raising values, so a second run finds nothing to do), and writes the profile as a sysctl.d file that
/// replaces any earlier one whole. Machine-wide keys are read wherever they are visible, and set only when the
/// host namespace is the one Fireline runs in (on a normal install, the machine's own): a Fireline pointed at
/// another namespace with --host-netns (a test host) never changes the rest of the machine.
/// </summary>
public sealed class HostTuner(HostKernel kernel)
{
    public TuneReport Tune(bool apply, string? writeFile)
    {
        // The process's own namespace (PID 1's may not be open to us: a sandbox, a user namespace).
        using var machine = NetworkNamespace.Current();
        var isMachine = kernel.Namespace.IsSameAs(machine);
        var settings = new List<TunedSetting>();
        foreach (var target in TuningProfile.Targets)
        {
            settings.Add(Tune(target, apply, isMachine, machine));
        }

        if (writeFile is not null)
        {
            Write(writeFile, settings);
        }

        return new TuneReport { Applied = apply, MachineNamespace = isMachine, File = writeFile, Settings = settings };
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

    /// <summary>
    /// The whole profile as a sysctl.d file, written to a temporary file and renamed over the target, so a reader
    /// never sees half of it and a second write replaces the first. A key this kernel lacks is written with
    /// systemd-sysctl's '-' prefix: applied when its module is there, ignored otherwise.
    /// </summary>
    private static void Write(string path, IReadOnlyList<TunedSetting> settings)
    {
        var text = new StringBuilder();
        text.Append("# Written by 'fireline host tune --write': sysctls for a host of Firecracker VMs.\n");
        text.Append("# Replaced whole on each write; edit the profile, not this file.\n");
        foreach (var setting in settings)
        {
            text.Append($"\n# {setting.Reason} ({(setting.Scope == SysctlScope.Machine ? "machine-wide" : "per network namespace")})\n");
            text.Append($"{(setting.Current is null ? "-" : "")}{setting.Key} = {setting.Wanted}\n");
        }

        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, text.ToString());
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw DomainErrors.InvalidInput("write", $"--write {path}: {error.Message}");
        }
    }
}
