using ConcertBooking.Testing;

namespace ConcertBooking.Tools.KafkaDevBroker;

/// <summary>
/// How scripts and tests find the dev broker: its bootstrap servers and control URL, one line each, in files of the
/// state directory. Written (atomically, the bootstrap file last) only once the topics exist and the control endpoint
/// listens, so a file that exists is a broker that is ready; removed when it stops.
/// </summary>
public sealed class StateFiles(string directory)
{
    private string BootstrapServers => Path.Combine(directory, KafkaDevBrokerProcess.BootstrapServersFile);

    private string ControlUrl => Path.Combine(directory, KafkaDevBrokerProcess.ControlUrlFile);

    public void Write(string bootstrapServers, string controlUrl)
    {
        Directory.CreateDirectory(directory);
        WriteAtomically(ControlUrl, controlUrl);
        WriteAtomically(BootstrapServers, bootstrapServers);
    }

    public void Delete()
    {
        File.Delete(BootstrapServers);
        File.Delete(ControlUrl);
    }

    private static void WriteAtomically(string path, string line)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, line + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
