"""Thin page views: parse input, call one service function, render."""
