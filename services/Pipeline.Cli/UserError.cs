namespace Pipeline.Cli;

/// <summary>Something the user can put right (a path, an address, a port): reported as its message alone.</summary>
internal sealed class UserError(string message, Exception? cause = null) : Exception(message, cause);
