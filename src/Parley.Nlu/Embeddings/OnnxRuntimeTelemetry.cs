using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Parley.Nlu.Embeddings;

/// <summary>
/// Keeps ONNX Runtime's usage telemetry off. Since 1.30 its Linux and macOS builds start a telemetry uploader when the
/// runtime initialises: a device id and an event store under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c> and a
/// <c>mat-debug-PID.log</c> in the temporary folder for every process. Parley works offline and keeps what it does on
/// the machine, so it sets <c>ORT_DISABLE_TELEMETRY=1</c>, the runtime's documented opt-out, before the first session
/// (on Windows: <see cref="OrtEnv.DisableTelemetryEvents"/>). A value the user set themselves is left as it is.
/// </summary>
internal static class OnnxRuntimeTelemetry
{
    /// <summary>The variable ONNX Runtime reads, once per process, when it initialises.</summary>
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    private static int _applied;

    /// <summary>Opts this process out, once; must run before ONNX Runtime is first used.</summary>
    public static void OptOut()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            OrtEnv.Instance().DisableTelemetryEvents();
            return;
        }

        // The runtime reads the process environment with getenv: Environment.SetEnvironmentVariable changes only .NET's
        // own copy on Unix, so set it in libc's. overwrite: 0 keeps a value the user chose.
        _ = NativeMethods.SetEnv(Variable, "1", overwrite: 0);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setenv", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
    }
}
