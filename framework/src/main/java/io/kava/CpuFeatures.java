package io.kava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What the CPU can do that matters to a dtype policy: native bfloat16 arithmetic (AVX512_BF16
 * or AMX). Read from {@code /proc/cpuinfo}; where that cannot be read (not Linux) the answer is
 * false, which costs at most a needless warning. Tests construct their own answer.
 */
record CpuFeatures(boolean bfloat16) {
  private static final Pattern BF16 = Pattern.compile("\\b(avx512_bf16|amx_bf16)\\b");

  /** The features of this machine's CPU. */
  static CpuFeatures system() {
    try {
      return new CpuFeatures(BF16.matcher(Files.readString(Path.of("/proc/cpuinfo"))).find());
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures(false);
    }
  }
}
