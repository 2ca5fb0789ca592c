using Harness.Experiments;
namespace Harness.Diagnostics;

/// <summary>What the doctor concluded about one mode in one run.</summary>
public enum DiagnosisStatus
{
    /// <summary>The mode is there at the end of the run.</summary>
    Found,

    /// <summary>The mode showed for a while and was gone by the last quarter.</summary>
    Cleared,

    /// <summary>The metric never reached the threshold.</summary>
    Absent,

    /// <summary>The run did not log the metric: its detector was not in the experiment.</summary>
    NotMeasured,
}

/// <summary>One mode's diagnosis, with the numbers behind it.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Status">Found, cleared, absent or not measured.</param>
/// <param name="Evidence">One sentence with the step range and the rates.</param>
/// <param name="FromStep">First step whose moving average reached the threshold (for a fall: the peak's step).</param>
/// <param name="ToStep">Last such step (for a fall: the run's last step).</param>
/// <param name="Peak">The highest moving average of the metric.</param>
/// <param name="PeakStep">Where that peak is.</param>
/// <param name="FinalMean">The metric's mean over the last quarter of the run.</param>
/// <param name="FixInUse">Whether the run already used the suggested fix plugin.</param>
/// <param name="Examples">Logged completions that carry the mode's flag, latest first (step and text).</param>
public sealed record Diagnosis(
    DeclaredFailureMode Mode,
    DiagnosisStatus Status,
    string Evidence,
    int? FromStep,
    int? ToStep,
    double? Peak,
    int? PeakStep,
    double? FinalMean,
    bool FixInUse,
    IReadOnlyList<(int Step, string Text)> Examples)
{
    /// <summary>The status as the table, the report and JSON print it.</summary>
    public string StatusText => Status == DiagnosisStatus.NotMeasured ? "not measured" : Status.ToString().ToLowerInvariant();

    /// <summary>The fix to try, e.g. "reward overlap-penalty (in use)".</summary>
    public string FixText => $"{Mode.Info.FixKind} {Mode.Info.Fix}{(FixInUse ? " (in use)" : "")}";
}

/// <summary>The doctor's findings on a run: one diagnosis per mode and what fix strategies did during it.</summary>
public sealed record DoctorReport(string Run, int Steps, IReadOnlyList<Diagnosis> Diagnoses, IReadOnlyList<string> FixEvents);
