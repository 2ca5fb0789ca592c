namespace Harness;

/// <summary>
/// An error the user can fix (bad input, bad config, a misbehaving plugin). The CLI prints its message
/// alone, without a stack trace, so every message names its culprit: the file, plugin, field or value.
/// </summary>
public class HarnessException(string message, Exception? inner = null) : Exception(message, inner);
