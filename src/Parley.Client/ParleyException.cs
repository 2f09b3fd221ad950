using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client;

/// <summary>
/// A refusal by the server (an <c>error</c> frame; <see cref="Code"/> is one of <see cref="ErrorCodes"/>) or a
/// failure seen by the client itself (<see cref="Code"/> is one of <see cref="ClientErrorCodes"/>).
/// </summary>
public sealed class ParleyException : Exception
{
    /// <summary>Creates an exception with the code <see cref="ClientErrorCodes.Unknown"/>.</summary>
    public ParleyException() : this(ClientErrorCodes.Unknown, "The Parley client failed.") { }

    /// <summary>Creates an exception with the code <see cref="ClientErrorCodes.Unknown"/>.</summary>
    public ParleyException(string message) : this(ClientErrorCodes.Unknown, message) { }

    /// <summary>Creates an exception with the code <see cref="ClientErrorCodes.Unknown"/>.</summary>
    public ParleyException(string message, Exception innerException)
        : this(ClientErrorCodes.Unknown, message, null, innerException) { }

    /// <summary>Creates an exception with a code, a sentence for a person and, for <c>rate_limited</c>, the wait.</summary>
    public ParleyException(string code, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        RetryAfter = retryAfter;
    }

    /// <summary>The error code: the server's (<see cref="ErrorCodes"/>) or the client's (<see cref="ClientErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>With <c>rate_limited</c>: how long to wait before the next send may pass.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The exception that an <c>error</c> frame from the server stands for.</summary>
    public static ParleyException FromError(ErrorFrame error)
    {
        ArgumentNullException.ThrowIfNull(error);
        TimeSpan? retryAfter = error.RetryAfterMs is long ms ? TimeSpan.FromMilliseconds(ms) : null;
        return new ParleyException(error.Code, error.Message, retryAfter);
    }
}
