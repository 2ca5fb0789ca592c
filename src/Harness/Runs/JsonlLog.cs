using System.Text;
using System.Text.Json;

namespace Harness.Runs;

/// <summary>
/// An append-only JSON Lines file whose lines carry a <c>step</c>. Each step's lines are written in one
/// write and flushed to disk. Opened for a resumed run, it keeps every line up to the last complete step and
/// skips lines for steps it already holds, so a replayed step is never written twice.
/// </summary>
public sealed class JsonlLog : IDisposable
{
    private readonly FileStream _stream;

    private JsonlLog(string path, FileStream stream, int lastStep)
    {
        Path = path;
        _stream = stream;
        LastStep = lastStep;
    }

    public string Path { get; }

    /// <summary>The last step whose lines the file holds; −1 when it holds none (step 0 is a step: the probe before training).</summary>
    public int LastStep { get; private set; }

    public static JsonlLog Create(string path) =>
        new(path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read), -1);

    /// <summary>
    /// Opens an existing log, dropping what follows step <paramref name="keepThrough"/>: a line torn by a
    /// crash, or lines of a step whose metrics were never written (that step runs again).
    /// </summary>
    public static JsonlLog Reopen(string path, int keepThrough)
    {
        var (end, last) = File.Exists(path) ? Scan(path, keepThrough) : (0L, -1);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(end);
        stream.Seek(end, SeekOrigin.Begin);
        return new JsonlLog(path, stream, last);
    }

    /// <summary>
    /// The records of a JSON Lines file with their line numbers, streamed, for readers (also of a live run): blank
    /// lines skipped, a torn last line (a run killed mid-write) dropped, any other line that is not JSON an error
    /// naming the file and the line.
    /// </summary>
    /// <param name="clean">Applied to each line before it is parsed (e.g. another writer's non-JSON literals); none by default.</param>
    public static IEnumerable<(int LineNumber, JsonElement Record)> Records(string path, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? clean = null)
    {
        (int Line, JsonException Error)? broken = null;
        var lineNumber = 0;
        foreach (var line in Utf8Lines.Read(path))
        {
            lineNumber++;
            if (line.Span.IndexOfAnyExcept(" \t\r\f\v"u8) < 0) continue;
            // A line that is not JSON is torn only when nothing follows it.
            if (broken is { } earlier) throw new HarnessException($"{path}, line {earlier.Line}: not JSON ({earlier.Error.Message}).", earlier.Error);
            JsonElement record;
            try
            {
                using var document = JsonDocument.Parse(clean is null ? line : clean(line));
                record = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                broken = (lineNumber, e);
                continue;
            }
            yield return (lineNumber, record);
        }
    }

    /// <summary>The last complete step in a log, without changing it.</summary>
    public static int LastCompleteStep(string path) => File.Exists(path) ? Math.Max(0, Scan(path, int.MaxValue).LastStep) : 0;

    /// <summary>Appends a step's lines, unless the file already holds that step.</summary>
    /// <returns>Whether the lines were written.</returns>
    public bool Append(int step, IEnumerable<string> lines)
    {
        if (step <= LastStep) return false;
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        _stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        _stream.Flush(flushToDisk: true);
        LastStep = step;
        return true;
    }

    /// <summary>
    /// Appends lines to the step the file ends with (something learned after that step was written, such as a stop);
    /// <paramref name="step"/> must be that step, so the file's steps never go back.
    /// </summary>
    public void AppendToLast(int step, IEnumerable<string> lines)
    {
        if (step < LastStep) throw new InvalidOperationException($"{Path} ends with step {LastStep}; lines of step {step} cannot follow it.");
        LastStep = Math.Min(LastStep, step - 1);
        Append(step, lines);
    }

    public void Dispose() => _stream.Dispose();

    private static (long End, int LastStep) Scan(string path, int keepThrough)
    {
        var bytes = File.ReadAllBytes(path);
        long end = 0;
        var last = -1;
        var start = 0;
        var lineNumber = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            lineNumber++;
            var step = StepOf(path, lineNumber, bytes.AsSpan(start, i - start));
            if (step > keepThrough) break;
            last = step;
            end = i + 1;
            start = i + 1;
        }
        return (end, last);
    }

    private static int StepOf(string path, int lineNumber, ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.GetProperty("step").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new HarnessException($"{path}, line {lineNumber}: not a JSON object with an integer 'step' ({e.Message}).", e);
        }
    }
}
