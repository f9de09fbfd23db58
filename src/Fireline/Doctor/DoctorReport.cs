namespace Fireline.Doctor;

/// <summary>What <c>fireline doctor</c> found; healthy when no check failed (<c>fireline doctor</c> exits 0).</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    public bool Healthy => Checks.All(c => c.Status != CheckStatus.Fail);

    public int Failed => Checks.Count(c => c.Status == CheckStatus.Fail);
}
