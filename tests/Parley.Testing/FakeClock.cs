using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Testing;

/// <summary>Runs code that waits on a <see cref="FakeTimeProvider"/>, moving the fake clock forward until it finishes.</summary>
public static class FakeClock
{
    /// <remarks>
    /// Runs on the thread pool, outside the test framework's synchronization context, so that the continuations a
    /// fake timer releases run inline during <see cref="FakeTimeProvider.Advance"/>: elapsed fake times are exact.
    /// </remarks>
    public static Task<T> DriveAsync<T>(FakeTimeProvider time, Func<Task<T>> start, TimeSpan? step = null) => Task.Run(async () =>
    {
        var task = start();
        var advance = step ?? TimeSpan.FromMilliseconds(100);
        var realTime = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (realTime.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException("The code under test did not finish within 5 s of real time.");
            }

            time.Advance(advance);
            await Task.Delay(1);
        }

        return await task;
    });

    public static Task DriveAsync(FakeTimeProvider time, Func<Task> start, TimeSpan? step = null) =>
        DriveAsync(time, async () => { await start(); return true; }, step);
}
