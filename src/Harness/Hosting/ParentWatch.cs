using Harness.Core;

namespace Harness.Hosting;

/// <summary>
/// A harness started by another (a sweep's runs) stops with it: when <see cref="Variable"/> is 1, the end of standard input,
/// which comes when the parent closes the pipe or dies however it dies (kill -9 included), is a stop request, exactly as
/// a signal is: the run saves a checkpoint of its last completed step and exits 129. Signals sent to the whole process
/// group still reach the child once, so it never sees the second signal that would end it at once.
/// </summary>
public static class ParentWatch
{
    public const string Variable = "HARNESS_STOP_WITH_PARENT";

    public static void Start(StopRequest stop)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return;
        var thread = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer, 0, buffer.Length) > 0) { }
            }
            catch (IOException)
            {
                // A broken pipe is the parent gone too.
            }
            stop.Request("parent exited", 129);
        }) { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }
}
