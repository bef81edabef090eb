namespace CoreConsole.NetBoot.Tftp;

/// <summary>
/// Read-only view of a file in netascii (RFC 764 via RFC 1350): LF becomes CR LF and a bare CR becomes CR NUL.
/// The converted length is unknown up front, so netascii transfers do not offer tsize.
/// </summary>
internal sealed class NetasciiReadStream(Stream inner) : Stream
{
    private int _pending = -1;

    public override int Read(Span<byte> buffer)
    {
        int n = 0;
        while (n < buffer.Length)
        {
            if (_pending >= 0)
            {
                buffer[n++] = (byte)_pending;
                _pending = -1;
                continue;
            }

            int b = inner.ReadByte();
            if (b < 0) break;
            buffer[n++] = (byte)(b is '\n' or '\r' ? '\r' : b);
            if (b == '\n') _pending = '\n';
            else if (b == '\r') _pending = 0;
        }

        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
