
namespace Harness.Commands;

/// <summary>Where commands write.</summary>
/// <param name="Console">For people: tables and colour.</param>
/// <param name="Out">For machines: JSON, never wrapped.</param>
/// <param name="Error">Error messages (stderr).</param>
public sealed record Terminal(IAnsiConsole Console, TextWriter Out, TextWriter Error);
