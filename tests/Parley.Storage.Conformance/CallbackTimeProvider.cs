namespace Parley.Storage.Conformance;

/// <summary>A settable clock that runs a callback each time it is read, to act in the middle of a store call.</summary>
public sealed class CallbackTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public Action? OnRead { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        OnRead?.Invoke();
        return Now;
    }
}
