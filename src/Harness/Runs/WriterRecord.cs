namespace Harness.Runs;

/// <summary>writer.json: the process that holds a run directory's <see cref="RunLock"/>, for the message a second writer gets.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Command">Its command line.</param>
/// <param name="Started">When the process started (UTC, ISO 8601).</param>
public sealed record WriterRecord(int Pid, string Host, string Command, string Started);
