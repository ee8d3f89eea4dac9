using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace ConcertBooking.Testing;

/// <summary>
/// Client-side faults librdkafka can fabricate for tests: a fatal error is otherwise nearly impossible to provoke
/// (a real one comes from an idempotence or fencing violation on the broker). Works on the mock and on a real cluster.
/// </summary>
public static class KafkaClientFaults
{
    private static readonly Lazy<TestFatalErrorFn> TestFatalError = new(() =>
    {
        var library = NativeLibrary.Load(KafkaMockCluster.Native.LoadedLibrdkafkaPath());
        return Marshal.GetDelegateForFunctionPointer<TestFatalErrorFn>(NativeLibrary.GetExport(library, "rd_kafka_test_fatal_error"));
    });

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TestFatalErrorFn(IntPtr rk, int error, [MarshalAs(UnmanagedType.LPUTF8Str)] string reason);

    /// <summary>The client fails fatally, as after a broken idempotence guarantee: it raises the error and refuses all further work.</summary>
    public static void RaiseFatalError(Handle client, ErrorCode code, string reason)
    {
        var result = TestFatalError.Value(KafkaMockCluster.RawHandle(client), (int)code, reason);
        if (result != 0)
        {
            throw new InvalidOperationException($"librdkafka did not raise the fatal error: {(ErrorCode)result}");
        }
    }
}
