/**
 * Line plots written as PNG files ({@link dev.wengert.nn.plot.Plot}) through XChart, an optional
 * dependency of this module: add {@code org.knowm.xchart:xchart} to draw.
 */
package dev.wengert.nn.plot;
