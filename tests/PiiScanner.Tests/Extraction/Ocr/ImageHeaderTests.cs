using PiiScanner.Extraction.Ocr;
using PiiScanner.Tests.Shared;

namespace PiiScanner.Tests.Extraction.Ocr;

public sealed class ImageHeaderTests
{
    private static GrayPage Blank(int width, int height) => new(width, height, Enumerable.Repeat((byte)255, width * height).ToArray(), 200);

    [Fact]
    public void Png_and_tiff_dimensions_come_from_the_headers()
    {
        var png = ImageHeader.Read(ScannedForms.Png(Blank(30, 20)));
        Assert.NotNull(png);
        Assert.Equal(ImageFormat.Png, png.Format);
        Assert.Equal([(30L, 20L)], png.Pages);

        var tiff = ImageHeader.Read(ScannedForms.Tiff([Blank(30, 20), Blank(40, 10), Blank(8, 8)], fax: true));
        Assert.NotNull(tiff);
        Assert.Equal(ImageFormat.Tiff, tiff.Format);
        Assert.Equal([(30L, 20L), (40L, 10L), (8L, 8L)], tiff.Pages);
    }

    [Fact]
    public void A_bomb_declares_its_size_before_any_pixel()
    {
        var bomb = ScannedForms.PngHeaderOnly(100_000, 100_000);
        Assert.True(bomb.Length < 10_000);
        var info = ImageHeader.Read(bomb);
        Assert.NotNull(info);
        Assert.Equal([(100_000L, 100_000L)], info.Pages);
    }

    [Fact]
    public void A_tiff_page_chain_is_cut_after_n_pages()
    {
        var data = ScannedForms.Tiff([Blank(30, 20), Blank(40, 10), Blank(8, 8)]);
        var info = ImageHeader.Read(data)!;
        var cut = ImageHeader.Read(ImageHeader.TruncateTiff(data, info, 2))!;
        Assert.Equal([(30L, 20L), (40L, 10L)], cut.Pages);
    }

    [Fact]
    public void Jpeg_frame_header_is_found_after_other_segments()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        var info = ImageHeader.Read(jpeg);
        Assert.NotNull(info);
        Assert.Equal([(600L, 300L)], info.Pages);
    }

    [Fact]
    public void Tesseract_tsv_words_become_lines_with_their_page_block_and_confidence()
    {
        const string tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
            + "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
            + "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\tName:\n"
            + "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t90\tJane\n"
            + "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t50\tSSN\n"
            + "5\t2\t1\t1\t1\t1\t0\t0\t10\t10\t80\tpage-two\n";
        var lines = OcrEngine.ParseTsv(tsv);
        Assert.Equal(3, lines.Count);
        Assert.Equal("Name: Jane", lines[0].Text);
        Assert.Equal(0.965, lines[0].Words[0].Confidence, 3);
        Assert.Equal(2, lines[2].Page);
    }
}
