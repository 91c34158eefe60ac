using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging.Abstractions;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// The cookie and anti-forgery key ring in the data folder's <c>keys/</c>, owner-only: the keys are stored in clear,
/// so the folder is 0700 and each key file 0600, and a looser folder found at start-up is tightened.
/// </summary>
internal sealed class OwnerOnlyKeyRepository : FileSystemXmlRepository
{
    private readonly DirectoryInfo _directory;

    public OwnerOnlyKeyRepository(DirectoryInfo directory, ILoggerFactory logs)
        : base(directory, logs)
    {
        _directory = directory;
        try
        {
            OwnerOnlyFiles.CreateFolder(directory.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The data folder cannot be written now; storing a key will fail with its own error, reading still works.
            return;
        }

        OwnerOnlyFiles.Tighten(logs.CreateLogger<OwnerOnlyKeyRepository>(), [directory.FullName, .. Files()]);
    }

    public override void StoreElement(XElement element, string friendlyName)
    {
        base.StoreElement(element, friendlyName);
        // The file was just written with the process's umask; making it 0600 is routine, not worth a log line.
        OwnerOnlyFiles.Tighten(NullLogger.Instance, Files());
    }

    private IEnumerable<string> Files() => _directory.Exists ? _directory.EnumerateFiles().Select(file => file.FullName) : [];
}
