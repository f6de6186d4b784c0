package org.reprise.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A grouped bar chart of handshake rates (ECDSA certificate): one group per case, one bar per server. */
final class HandshakeChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 90;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};
    private static final List<String> LABELS = List.of("1.2 full", "1.2 session ID", "1.2 ticket", "1.3 full",
            "1.3 resumed");

    private HandshakeChart() {
    }

    static void write(RunResults results, Path file, String title) throws IOException {
        List<String> variants = results.variants().stream().filter(v -> results.unavailable(v) == null).toList();
        double top = 1;
        for (String v : variants) {
            for (String c : BenchReport.CASES) {
                RunResults.Cell cell = results.cell("hs", v, "ec", c);
                if (cell != null) {
                    top = Math.max(top, cell.max("rate"));
                }
            }
        }
        top = niceCeiling(top);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotH = HEIGHT - TOP - BOTTOM;
        int plotW = WIDTH - LEFT - RIGHT;
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(BenchReport.count(top * i / 5), 10, y + 4);
        }
        int groups = BenchReport.CASES.size();
        int groupW = plotW / groups;
        int barW = Math.max(4, (groupW - 20) / Math.max(1, variants.size()));
        for (int gi = 0; gi < groups; gi++) {
            int x0 = LEFT + gi * groupW + 10;
            for (int vi = 0; vi < variants.size(); vi++) {
                RunResults.Cell cell = results.cell("hs", variants.get(vi), "ec", BenchReport.CASES.get(gi));
                if (cell == null) {
                    continue;
                }
                int x = x0 + vi * barW;
                int h = (int) (plotH * cell.median("rate") / top);
                g.setColor(COLORS[vi % COLORS.length]);
                g.fillRect(x, TOP + plotH - h, barW - 2, h);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1));
                int yMin = TOP + plotH - (int) (plotH * cell.min("rate") / top);
                int yMax = TOP + plotH - (int) (plotH * cell.max("rate") / top);
                int mid = x + (barW - 2) / 2;
                g.drawLine(mid, yMin, mid, yMax);
            }
            g.setColor(Color.BLACK);
            g.drawString(LABELS.get(gi), x0, TOP + plotH + 18);
        }
        int lx = LEFT;
        for (int vi = 0; vi < variants.size(); vi++) {
            g.setColor(COLORS[vi % COLORS.length]);
            g.fillRect(lx, HEIGHT - 40, 14, 14);
            g.setColor(Color.BLACK);
            String name = BenchReport.name(variants.get(vi));
            g.drawString(name, lx + 20, HEIGHT - 28);
            lx += 40 + g.getFontMetrics().stringWidth(name);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
