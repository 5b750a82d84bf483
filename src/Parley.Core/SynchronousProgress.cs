namespace Parley.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports at once, on the reporting thread: lines come out in order, unlike
/// <see cref="Progress{T}"/>, which posts each report to the thread pool or a synchronization context.
/// </summary>
/// <typeparam name="T">The type of the progress value.</typeparam>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
