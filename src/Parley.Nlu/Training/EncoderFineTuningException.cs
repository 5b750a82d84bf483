namespace Parley.Nlu.Training;

/// <summary>
/// Encoder fine-tuning cannot run: the data or settings do not allow it, or its native libraries (libtorch) did not
/// load. The message says what to do.
/// </summary>
public sealed class EncoderFineTuningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EncoderFineTuningException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public EncoderFineTuningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public EncoderFineTuningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
