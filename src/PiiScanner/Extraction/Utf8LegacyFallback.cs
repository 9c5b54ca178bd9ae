using System.Text;

namespace PiiScanner.Extraction;

/// <summary>
/// Decoder fallback for UTF-8 content that reads each invalid byte as Windows-1252 instead of U+FFFD, so a
/// legacy-encoded name deep in a file whose head was plain ASCII still reaches detection intact.
/// One instance per item (it counts the bytes it rescued); not thread-safe.
/// </summary>
internal sealed class Utf8LegacyFallback : DecoderFallback
{
    private static readonly char[] Map = BuildMap();

    /// <summary>Number of invalid UTF-8 bytes read as Windows-1252 so far.</summary>
    public long FallbackBytes { get; private set; }

    /// <inheritdoc />
    public override int MaxCharCount => 4;

    /// <inheritdoc />
    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private static char[] BuildMap()
    {
        var bytes = new byte[256];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }

        // Bytes 1252 leaves undefined (0x81, 0x8D…) decode to their Latin-1 code point.
        var map = new char[256];
        var encoding = Encoding.GetEncoding(TextSniffer.Windows1252.CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
        encoding.GetChars(bytes, map);
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] == '\uFFFD')
            {
                map[i] = (char)i;
            }
        }

        return map;
    }

    private sealed class Buffer(Utf8LegacyFallback owner) : DecoderFallbackBuffer
    {
        private char[] _chars = new char[4];
        private int _count;
        private int _next;

        public override int Remaining => _count - _next;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            var n = bytesUnknown.Length;
            if (n > _chars.Length)
            {
                _chars = new char[n];
            }

            for (var i = 0; i < n; i++)
            {
                _chars[i] = Map[bytesUnknown[i]];
            }

            owner.FallbackBytes += n;
            _count = n;
            _next = 0;
            return n > 0;
        }

        public override char GetNextChar() => _next < _count ? _chars[_next++] : '\0';

        public override bool MovePrevious()
        {
            if (_next == 0)
            {
                return false;
            }

            _next--;
            return true;
        }

        public override void Reset()
        {
            _count = 0;
            _next = 0;
        }
    }
}
